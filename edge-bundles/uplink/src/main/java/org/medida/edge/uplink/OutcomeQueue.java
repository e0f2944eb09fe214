package org.medida.edge.uplink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;


/**
 * Answers on their way to central (command outcomes, inventory results), in the order they were produced. An outcome stays here until the
 * broker acknowledged it (PUBACK): if the connection drops before that, it goes out again, first, on the next
 * connection. Bounded: when full, the oldest waiting outcome is given up (central's request will have expired).
 * Used by the uplink's loop thread only.
 */
final class OutcomeQueue {

    /** An encoded answer to a request of central, and where it goes. */
    record Answer(String correlationId, String topic, byte[] payload) {
    }

    private final int capacity;
    private final Deque<Answer> waiting = new ArrayDeque<>();
    private final List<Answer> published = new ArrayList<>();

    OutcomeQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Queues an outcome; returns the one given up to make room, if the queue was full. */
    Optional<Answer> add(Answer outcome) {
        Optional<Answer> givenUp = Optional.empty();
        if (size() >= capacity) {
            givenUp = Optional.ofNullable(waiting.pollFirst());
        }
        waiting.addLast(outcome);
        return givenUp;
    }

    /** The next outcome to publish. */
    Optional<Answer> next() {
        return Optional.ofNullable(waiting.peekFirst());
    }

    /** The next outcome went to the broker; it is kept until {@link #delivered}. */
    void published(Answer outcome) {
        waiting.remove(outcome);
        published.add(outcome);
    }

    /** The outcome cannot be sent at all (it does not encode); dropped. */
    void discard(Answer outcome) {
        waiting.remove(outcome);
    }

    /** The broker acknowledged the outcome. */
    void delivered(Answer outcome) {
        published.remove(outcome);
    }

    /** The connection dropped: outcomes the broker did not acknowledge go out first on the next one. */
    void connectionLost() {
        for (int i = published.size() - 1; i >= 0; i--) {
            waiting.addFirst(published.get(i));
        }
        published.clear();
    }

    int size() {
        return waiting.size() + published.size();
    }
}

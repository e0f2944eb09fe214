package org.medida.itests;

import java.time.Duration;
import java.time.Instant;

/** Waiting for a condition among child processes: polled, with a generous deadline, never a fixed sleep. */
final class ProcessWait {

    private static final Duration POLL = Duration.ofMillis(250);

    /** A condition that may need I/O to be evaluated; an exception counts as "not yet". */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private ProcessWait() {
    }

    /** Returns once {@code condition} holds; fails after {@code timeout} with {@code what} and the last exception. */
    static void until(String what, Duration timeout, Condition condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception notYet) {
                last = notYet;
            }
            if (Instant.now().isAfter(deadline)) {
                AssertionError failure = new AssertionError("not " + what + " within " + timeout);
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}

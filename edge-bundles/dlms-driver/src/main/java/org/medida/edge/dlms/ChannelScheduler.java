package org.medida.edge.dlms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.medida.edge.api.Priority;

/**
 * Runs work one job at a time per channel and channels in parallel on a bounded pool. Each channel keeps its waiting
 * jobs in a priority queue: {@link Priority#HIGH} first, first come first served within a priority.
 */
final class ChannelScheduler implements AutoCloseable {

    /** A unit of work that can also be told it will never run. */
    interface Job extends Runnable {
        void abandon();
    }

    private record Queued(Priority priority, long sequence, Job job) {
        static final Comparator<Queued> ORDER = Comparator.comparing(Queued::priority)
                .thenComparingLong(Queued::sequence);
    }

    private final ExecutorService workers;
    /** Channels with work running or waiting; guarded by {@code this}. */
    private final Map<String, PriorityQueue<Queued>> waiting = new HashMap<>();
    private long sequence;
    private boolean closed;

    ChannelScheduler(int parallelChannels) {
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(parallelChannels, runnable -> {
            Thread thread = new Thread(runnable, "medida-dlms-channel-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    void submit(String channel, Priority priority, Job job) {
        synchronized (this) {
            if (!closed) {
                PriorityQueue<Queued> queue = waiting.get(channel);
                if (queue == null) {
                    // the channel is idle: run the job now, and later whatever queues up behind it
                    waiting.put(channel, new PriorityQueue<>(Queued.ORDER));
                    workers.execute(() -> runThenNext(channel, job));
                } else {
                    queue.add(new Queued(priority, sequence++, job));
                }
                return;
            }
        }
        job.abandon();
    }

    private void runThenNext(String channel, Job job) {
        try {
            job.run();
        } finally {
            Job next = null;
            synchronized (this) {
                PriorityQueue<Queued> queue = waiting.get(channel);
                if (queue != null) {
                    Queued queued = queue.poll();
                    if (queued == null) {
                        waiting.remove(channel);
                    } else {
                        next = queued.job();
                    }
                }
            }
            if (next != null) {
                Job following = next;
                // a new task rather than a loop, so that other channels get their turn on the pool
                workers.execute(() -> runThenNext(channel, following));
            }
        }
    }

    /** Abandons the waiting jobs and lets the running ones finish for a while. */
    @Override
    public void close() {
        List<Queued> abandoned = new ArrayList<>();
        synchronized (this) {
            closed = true;
            waiting.values().forEach(abandoned::addAll);
            waiting.values().forEach(PriorityQueue::clear);
        }
        abandoned.forEach(queued -> queued.job().abandon());
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

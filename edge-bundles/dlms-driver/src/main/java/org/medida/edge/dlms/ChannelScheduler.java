package org.medida.edge.dlms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.medida.edge.api.Priority;

/**
 * Runs work one job at a time per channel and channels in parallel on a bounded pool. Each channel keeps its waiting
 * jobs in a priority queue: {@link Priority#HIGH} first, first come first served within a priority. A job can also
 * be queued again after a pause, which it waits off its channel: the channel serves other work meanwhile.
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
    /** One timer thread for all pauses, however many jobs wait out one. */
    private final ScheduledExecutorService timers;
    /** Channels with work running or waiting; guarded by {@code this}. */
    private final Map<String, PriorityQueue<Queued>> waiting = new HashMap<>();
    /** Jobs pausing before they are queued again; guarded by {@code this}. */
    private final Set<Job> pausing = new HashSet<>();
    private long sequence;
    private boolean closed;

    ChannelScheduler(int parallelChannels) {
        this.workers = Executors.newFixedThreadPool(parallelChannels, daemons("medida-dlms-channel-"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemons("medida-dlms-timer-"));
    }

    private static ThreadFactory daemons(String namePrefix) {
        AtomicInteger threads = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, namePrefix + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
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

    /**
     * Queues the job on its channel once the pause is over, behind the work of its priority that queued up
     * meanwhile.
     */
    void submitAfter(Duration pause, String channel, Priority priority, Job job) {
        synchronized (this) {
            if (!closed) {
                pausing.add(job);
                timers.schedule(() -> resume(channel, priority, job), pause.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
        }
        job.abandon();
    }

    private void resume(String channel, Priority priority, Job job) {
        synchronized (this) {
            if (!pausing.remove(job)) {
                return; // close() has abandoned it
            }
        }
        submit(channel, priority, job);
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

    /** Abandons the waiting and pausing jobs and lets the running ones finish for a while. */
    @Override
    public void close() {
        List<Job> abandoned = new ArrayList<>();
        synchronized (this) {
            closed = true;
            waiting.values().forEach(queue -> queue.forEach(queued -> abandoned.add(queued.job())));
            waiting.values().forEach(PriorityQueue::clear);
            abandoned.addAll(pausing);
            pausing.clear();
        }
        timers.shutdownNow();
        abandoned.forEach(Job::abandon);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
            // a timer may just be handing a job back; the job finds the scheduler closed and is abandoned
            timers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

package org.medida.edge.collector;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.medida.edge.api.InventoryMeter;
import org.medida.edge.api.MeterDriver;
import org.medida.edge.api.MeterInventory;
import org.medida.edge.api.MeterState;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.ReadingStore;
import org.medida.edge.api.TaskOutcome;

/**
 * Collects from every commissioned meter of the inventory on schedule, usable as plain Java: {@link #start}, then
 * {@link #close}. A scheduler looks once a second for (meter, job) pairs that are due and not running, and hands them
 * to a pool of {@code parallelMeters} workers; a slow meter holds one worker, never the scheduler. Scheduled
 * conversations go to the driver at NORMAL priority; on-demand tasks ({@link OnDemandWork}) at their own, normally
 * HIGH, so the driver serves them first on their channel.
 */
public final class Collector implements OnDemandWork, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Collector.class.getName());
    private static final Duration INVENTORY_REREAD = Duration.ofSeconds(30);

    private final MeterInventory inventory;
    private final CollectorSettings settings;
    private final Clock clock;
    private final MeterWork work;
    private final OnDemandTasks onDemand;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    /** When each meter's jobs are due next; a pair that is running has no entry until its run ends. */
    private final Map<String, Map<Job, Instant>> due = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /**
     * The inventory is read when a job is due, and at least this often to find meters commissioned since; only the
     * scheduler thread touches the time.
     */
    private Instant nextInventoryRead = Instant.MIN;

    public Collector(MeterDriver driver, ReadingStore store, MeterInventory inventory, CollectorSettings settings,
            Clock clock, ClockAlarm alarm) {
        this.inventory = inventory;
        this.settings = settings;
        this.clock = clock;
        this.work = new MeterWork(driver, store, inventory, settings, clock, alarm);
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor schedule = new ScheduledThreadPoolExecutor(1,
                r -> daemon(r, "medida-collector-schedule"));
        // on-demand expiry timers are cancelled when their task ends: they must not wait in the queue until then
        schedule.setRemoveOnCancelPolicy(true);
        this.scheduler = schedule;
        this.workers = Executors.newFixedThreadPool(settings.parallelMeters(),
                r -> daemon(r, "medida-collector-" + threads.incrementAndGet()));
        this.onDemand = new OnDemandTasks(driver, store, inventory, work, settings, clock, scheduler);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Starts the schedule: every job is due at once, then at its period. */
    public void start() {
        scheduler.scheduleWithFixedDelay(this::dispatchDueJobs, 0, 1, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<TaskOutcome> submit(MeterTask task) {
        return onDemand.submit(task);
    }

    /**
     * Runs one job on one meter now, outside the schedule (the tests drive jobs this way): completes with whether the
     * job completed, or false if the meter is unknown, not commissioned, or the job is running already.
     */
    CompletionStage<Boolean> runNow(Job job, String serial) {
        InventoryMeter meter = inventory.meter(serial).filter(m -> m.state() == MeterState.COMMISSIONED)
                .orElse(null);
        if (meter == null || !running.add(key(serial, job))) {
            return CompletableFuture.completedFuture(false);
        }
        return CompletableFuture.supplyAsync(() -> runJob(job, meter), workers);
    }

    private void dispatchDueJobs() {
        try {
            Instant now = clock.instant();
            if (now.isBefore(nextInventoryRead) && now.isBefore(earliestDue())) {
                return;
            }
            nextInventoryRead = now.plus(INVENTORY_REREAD);
            List<InventoryMeter> meters = inventory.meters().stream()
                    .filter(m -> m.state() == MeterState.COMMISSIONED).toList();
            Set<String> present = new HashSet<>();
            Map<String, Deque<Runnable>> runsByChannel = new LinkedHashMap<>();
            for (InventoryMeter meter : meters) {
                present.add(meter.serial());
                Map<Job, Instant> jobs = due.computeIfAbsent(meter.serial(), s -> new ConcurrentHashMap<>());
                for (Job job : Job.values()) {
                    if (job.enabled(settings) && !jobs.getOrDefault(job, now).isAfter(now)
                            && running.add(key(meter.serial(), job))) {
                        jobs.put(job, Instant.MAX);
                        runsByChannel.computeIfAbsent(meter.meter().link().channel(), c -> new ArrayDeque<>())
                                .add(() -> runJob(job, meter));
                    }
                }
            }
            dispatchAcrossChannels(runsByChannel.values());
            due.keySet().retainAll(present);
        } catch (RuntimeException e) {
            // a failing inventory must not end the schedule: the next tick tries again
            LOG.log(Level.WARNING, "cannot schedule collection: {0}", e.toString());
        }
    }

    /** When the next known job is due; running jobs count as never (their run sets their next time). */
    private Instant earliestDue() {
        return due.values().stream().flatMap(jobs -> jobs.values().stream()).min(Instant::compareTo)
                .orElse(Instant.MIN);
    }

    /**
     * Hands the runs to the workers taking one from each channel in turn. A channel carries one conversation at a
     * time: in inventory order the workers would all wait on the first channel's meters while the others idle
     * (B3 measured 3.6x the link-bound cycle time that way).
     */
    private void dispatchAcrossChannels(Collection<Deque<Runnable>> channels) {
        boolean dispatched = true;
        while (dispatched) {
            dispatched = false;
            for (Deque<Runnable> runs : channels) {
                Runnable run = runs.poll();
                if (run != null) {
                    workers.execute(run);
                    dispatched = true;
                }
            }
        }
    }

    private boolean runJob(Job job, InventoryMeter meter) {
        boolean completed = false;
        try {
            completed = switch (job) {
                case PROFILE -> work.collectProfiles(meter);
                case BILLING -> work.collectBilling(meter);
                case EVENTS -> work.collectEvents(meter);
                case INSTANTANEOUS -> work.readInstantaneous(meter);
                case CLOCK -> work.checkClock(meter);
            };
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "{0} of {1} failed: {2}", job, meter.serial(), e.toString());
        } finally {
            due.computeIfAbsent(meter.serial(), s -> new ConcurrentHashMap<>())
                    .put(job, job.nextDue(clock.instant(), completed, settings));
            running.remove(key(meter.serial(), job));
        }
        return completed;
    }

    private static String key(String serial, Job job) {
        return serial + " " + job;
    }

    /** Stops scheduling and waits for running jobs to end their current conversation. */
    @Override
    public void close() {
        work.stop();
        scheduler.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

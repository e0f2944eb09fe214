package org.medida.central.direct;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

import org.medida.central.db.Database;
import org.medida.central.ingest.DirectReadings;
import org.medida.central.ingest.RefusedBatchException;
import org.medida.central.provisioning.SecretBox;
import org.medida.edge.api.Batch;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.edge.dlms.DlmsMeterDriver;
import org.medida.edge.dlms.DriverSettings;
import org.medida.edge.tasks.ClockPolicy;
import org.medida.edge.tasks.TaskRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Point-to-point meters (M2): central itself runs {@link MeterTask}s on meters with their own modem, over the
 * edge's DLMS driver and the tasks' shared {@link TaskRunner}, so they behave as on a gateway. The driver holds one
 * conversation at a time per link (W3) and serves links in parallel on a bounded pool; its timeouts and retries
 * bound a meter that does not answer. What a task reads is stored like a gateway's batch, and every conversation
 * updates the meter's reachability (M4).
 */
public final class DirectMeters implements OnDemandWork, AutoCloseable {

    /** The IDIS load profile 1 that READ_PROFILE reads, one capture period back when the task gives no look-back. */
    private static final String LOAD_PROFILE = "1.0.99.1.0.255";
    private static final Duration PROFILE_PERIOD = Duration.ofMinutes(15);

    private static final Logger LOG = LoggerFactory.getLogger(DirectMeters.class);

    private final Database database;
    private final MeterAddressing addressing;
    private final DirectReadings readings;
    private final DlmsMeterDriver driver;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final TaskRunner runner;
    private volatile boolean closed;

    public DirectMeters(Database database, SecretBox secrets, DirectReadings readings, DriverSettings settings,
            Clock clock) {
        this.database = database;
        this.addressing = new MeterAddressing(secrets);
        this.readings = readings;
        this.driver = new DlmsMeterDriver(settings);
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "medida-direct-expiry");
            thread.setDaemon(true);
            return thread;
        });
        this.clock = clock;
        ClockPolicy policy = ClockPolicy.defaults();
        this.runner = new TaskRunner(driver, List.of(LOAD_PROFILE), PROFILE_PERIOD,
                session -> policy.correct(session, session.readClock(), clock.instant()), clock, timer);
    }

    /**
     * The driver's defaults, with HLS5 invocation counters kept in {@code stateDirectory} and up to 16 meters read
     * at the same time.
     */
    public static DriverSettings defaultSettings(Path stateDirectory) {
        return DriverSettings.defaults(stateDirectory).withParallelChannels(16);
    }

    @Override
    public CompletionStage<TaskOutcome> submit(MeterTask task) {
        Instant now = clock.instant();
        MeterRef meter;
        try (Connection connection = database.connect()) {
            meter = addressing.meter(connection, task.serial());
        } catch (MeterAddressing.Refused e) {
            return CompletableFuture.completedFuture(TaskOutcome.failed(task, e.getMessage(), now));
        } catch (SQLException e) {
            return CompletableFuture.completedFuture(
                    TaskOutcome.failed(task, "central's database failed: " + e.getMessage(), now));
        }
        try {
            return runner.run(meter, task, result -> finish(task, result));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    TaskOutcome.failed(task, "central's direct meter reading has stopped", now));
        }
    }

    /** Records the meter's reachability and stores what was read; the outcome tells when storing failed. */
    private TaskOutcome finish(MeterTask task, DriverResult<TaskRunner.Readings> result) {
        Instant at = clock.instant();
        if (result instanceof DriverResult.Failed<TaskRunner.Readings> failed) {
            TaskOutcome outcome = TaskRunner.failed(task, failed.failure(), at);
            if (!closed) {
                // a conversation abandoned because central stops says nothing about the meter
                recordReachability(task.serial(), at, outcome.detail());
            }
            return outcome;
        }
        TaskRunner.Readings done = ((DriverResult.Success<TaskRunner.Readings>) result).value();
        recordReachability(task.serial(), at, null);
        TaskStatus status = done.status();
        List<String> notes = new ArrayList<>();
        if (!done.detail().isEmpty()) {
            notes.add(done.detail());
        }
        try {
            readings.store(batches(task.serial(), done, at), at);
        } catch (SQLException | RefusedBatchException e) {
            LOG.warn("Readings of {} (task {}) not stored: {}", task.serial(), task.correlationId(), e.getMessage());
            notes.add("read, but not stored: " + e.getMessage());
            status = status == TaskStatus.FAIL ? status : TaskStatus.WARN;
        }
        return new TaskOutcome(task.correlationId(), task.serial(), status, String.join("; ", notes), at,
                done.registers(), done.supply());
    }

    /** What was read, as the batches a gateway would have sent. */
    private static List<Batch> batches(String serial, TaskRunner.Readings done, Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        List<Batch> batches = new ArrayList<>();
        if (!done.registers().isEmpty()) {
            batches.add(new Batch.Registers(0, serial, day, done.registers()));
        }
        if (done.profiles().stream().anyMatch(block -> !block.intervals().isEmpty())) {
            batches.add(new Batch.Intervals(0, serial, day, done.profiles()));
        }
        List<MeterEvent> events = done.events().values().stream().flatMap(List::stream).toList();
        if (!events.isEmpty()) {
            batches.add(new Batch.Events(0, serial, day, events));
        }
        return batches;
    }

    /** A failure reason, or null after a conversation that took place. */
    private void recordReachability(String serial, Instant at, String failure) {
        try (Connection connection = database.connect()) {
            if (failure == null) {
                MeterReachability.success(connection, serial, at);
            } else {
                MeterReachability.failure(connection, serial, at, failure);
            }
        } catch (SQLException e) {
            LOG.warn("Reachability of {} not recorded: {}", serial, e.getMessage());
        }
    }

    /** Stops taking tasks; waiting ones complete as failed, running conversations may finish. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        driver.close();
    }
}

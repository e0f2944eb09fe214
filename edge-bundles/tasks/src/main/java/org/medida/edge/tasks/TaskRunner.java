package org.medida.edge.tasks;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.medida.edge.api.CommandResult;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.Failure;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterAccessException;
import org.medida.edge.api.MeterCommand;
import org.medida.edge.api.MeterDriver;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSession;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;

/**
 * What a {@link MeterTask} does on a meter, for every {@link OnDemandWork}: the gateway's collector and central's
 * point-to-point reads run tasks the same way. The task is one conversation through a {@link MeterDriver}, so it
 * waits for its channel like any other; a task not started by its expiry ends FAIL "expired" at the expiry, and its
 * waiting conversation then ends without a request to the meter. Keeping what was read and the meter's
 * reachability is the caller's {@link Finisher}.
 */
public final class TaskRunner {

    /** Billing and current energy registers read by {@link TaskKind#READ_REGISTERS}. */
    public static final List<String> ENERGY_REGISTERS = List.of("1.0.1.8.0.255", "1.0.1.8.1.255", "1.0.1.8.2.255",
            "1.0.1.8.3.255", "1.0.1.8.4.255", "1.0.1.8.5.255", "1.0.1.8.6.255", "1.0.2.8.0.255", "1.0.3.8.0.255",
            "1.0.4.8.0.255", "1.0.1.6.0.255");
    /** Instantaneous values: active import power, L1 voltage, L1 current. */
    public static final List<String> INSTANTANEOUS = List.of("1.0.1.7.0.255", "1.0.32.7.0.255", "1.0.31.7.0.255");

    private static final String KIND_SEPARATOR = ": ";
    private static final System.Logger LOG = System.getLogger(TaskRunner.class.getName());

    /** What a task did on the meter, before its readings are kept. */
    public record Readings(TaskStatus status, String detail, List<RegisterReading> registers, SupplyState supply,
            List<IntervalBlock> profiles, Map<EventLog, List<MeterEvent>> events) {

        public Readings {
            registers = List.copyOf(registers);
            profiles = List.copyOf(profiles);
        }

        static Readings status(TaskStatus status, String detail) {
            return new Readings(status, detail, List.of(), null, List.of(), Map.of());
        }
    }

    /** Reads the meter clock and corrects it by the reader's policy, in the task's association. */
    @FunctionalInterface
    public interface ClockSync {
        ClockPolicy.Decision sync(MeterSession session) throws MeterAccessException;
    }

    /** Turns the conversation's result into the task's outcome, keeping what was read; not called on expiry. */
    @FunctionalInterface
    public interface Finisher {
        TaskOutcome finish(DriverResult<Readings> result);
    }

    /** Where reading an event log starts, given the meter's time. */
    @FunctionalInterface
    public interface LogStart {
        Instant of(EventLog log, Instant meterNow);
    }

    private final MeterDriver driver;
    private final List<String> profiles;
    private final Duration defaultLookBack;
    private final ClockSync clockSync;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    /**
     * @param profiles        the load profiles {@link TaskKind#READ_PROFILE} reads
     * @param defaultLookBack the look-back of a profile or event task that gives none
     * @param timer           answers tasks that expire while they wait for their channel
     */
    public TaskRunner(MeterDriver driver, List<String> profiles, Duration defaultLookBack, ClockSync clockSync,
            Clock clock, ScheduledExecutorService timer) {
        this.driver = driver;
        this.profiles = List.copyOf(profiles);
        this.defaultLookBack = defaultLookBack;
        this.clockSync = clockSync;
        this.clock = clock;
        this.timer = timer;
    }

    /**
     * Runs the task on {@code meter}. The stage completes normally, with the expiry failure or with what
     * {@code finisher} makes of the conversation's result.
     *
     * @throws RejectedExecutionException when the timer no longer takes work: the caller has stopped
     */
    public CompletionStage<TaskOutcome> run(MeterRef meter, MeterTask task, Finisher finisher) {
        Instant now = clock.instant();
        if (!now.isBefore(task.expiresAt())) {
            return CompletableFuture.completedFuture(TaskOutcome.failed(task, "expired", now));
        }
        CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
        AtomicBoolean decided = new AtomicBoolean();
        ScheduledFuture<?> expiry = timer.schedule(() -> {
            if (decided.compareAndSet(false, true)) {
                outcome.complete(TaskOutcome.failed(task, "expired", clock.instant()));
            }
        }, Duration.between(now, task.expiresAt()).toMillis(), TimeUnit.MILLISECONDS);
        driver.<Readings>submit(meter, task.priority(), session -> {
            if (!decided.compareAndSet(false, true)) {
                return null;
            }
            if (!clock.instant().isBefore(task.expiresAt())) {
                return Readings.status(TaskStatus.FAIL, "expired");
            }
            return perform(task, session);
        }).whenComplete((result, error) -> {
            expiry.cancel(false);
            if (result instanceof DriverResult.Success<Readings> success && success.value() == null) {
                return; // expired while waiting: already answered
            }
            decided.set(true);
            try {
                outcome.complete(finisher.finish(result != null ? result
                        : DriverResult.failed(FailureKind.METER_ERROR, "the driver failed: " + error)));
            } catch (RuntimeException e) {
                // the stage must complete even when keeping the readings breaks
                outcome.complete(TaskOutcome.failed(task, "the outcome could not be kept: " + e, clock.instant()));
            }
        });
        return outcome;
    }

    /** The outcome of a conversation that gave no result; its detail begins with the {@link FailureKind}. */
    public static TaskOutcome failed(MeterTask task, Failure failure, Instant at) {
        return TaskOutcome.failed(task, failure.kind() + KIND_SEPARATOR + failure.detail(), at);
    }

    /**
     * The kind of failure a failed outcome's detail names, as {@link #failed} wrote it (empty for a failure before any
     * conversation: an expired task, a meter the gateway does not hold, a refused command).
     */
    public static Optional<FailureKind> failureKind(String detail) {
        int end = detail.indexOf(KIND_SEPARATOR);
        if (end < 0) {
            return Optional.empty();
        }
        String name = detail.substring(0, end);
        return Arrays.stream(FailureKind.values()).filter(kind -> kind.name().equals(name)).findFirst();
    }

    private Readings perform(MeterTask task, MeterSession session) throws MeterAccessException {
        return switch (task.kind()) {
            case READ_REGISTERS -> registers(session, ENERGY_REGISTERS);
            case READ_INSTANTANEOUS -> registers(session, INSTANTANEOUS);
            case READ_PROFILE -> profiles(session, lookBack(task));
            case READ_EVENTS -> events(session, lookBack(task));
            case SYNC_CLOCK -> clock(session);
            case DISCONNECT -> command(session, new MeterCommand.Disconnect());
            case RECONNECT -> command(session, new MeterCommand.Reconnect());
            case CLEAR_POWER_LIMIT -> command(session, new MeterCommand.ClearPowerLimit());
            case SET_POWER_LIMIT -> task.argument() > 0
                    ? command(session, new MeterCommand.SetPowerLimit(task.argument()))
                    : Readings.status(TaskStatus.FAIL,
                            "a power limit must be positive, not " + task.argument() + " W");
        };
    }

    /** The task's look-back, or the default when it gives none. */
    private Duration lookBack(MeterTask task) {
        return task.argument() > 0 ? Duration.ofSeconds(task.argument()) : defaultLookBack;
    }

    private static Readings registers(MeterSession session, List<String> obisCodes) throws MeterAccessException {
        List<DriverResult<RegisterReading>> results = session.readRegisters(obisCodes);
        List<RegisterReading> read = successful(results);
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof DriverResult.Failed<RegisterReading> failed) {
                missing.add(obisCodes.get(i) + " " + failed.failure().kind());
            }
        }
        if (read.isEmpty()) {
            throw new MeterAccessException(FailureKind.OBJECT_UNDEFINED,
                    "no register could be read: " + String.join(", ", missing));
        }
        TaskStatus status = missing.isEmpty() ? TaskStatus.EXE : TaskStatus.WARN;
        String detail = missing.isEmpty() ? "" : "not read: " + String.join(", ", missing);
        return new Readings(status, detail, read, null, List.of(), Map.of());
    }

    private Readings profiles(MeterSession session, Duration lookBack) throws MeterAccessException {
        Instant meterNow = session.readClock().meterTime();
        List<IntervalBlock> blocks = new ArrayList<>();
        int entries = 0;
        for (String profile : profiles) {
            IntervalBlock block = session.readProfile(profile, meterNow.minus(lookBack), meterNow);
            blocks.add(block);
            entries += block.intervals().size();
        }
        return new Readings(TaskStatus.EXE, entries + " profile entries", List.of(), null, blocks, Map.of());
    }

    private static Readings events(MeterSession session, Duration lookBack) throws MeterAccessException {
        Map<EventLog, List<MeterEvent>> logs = readLogs(session, false, (log, meterNow) -> meterNow.minus(lookBack));
        int count = logs.values().stream().mapToInt(List::size).sum();
        return new Readings(TaskStatus.EXE, count + " events", List.of(), null, List.of(), logs);
    }

    private Readings clock(MeterSession session) throws MeterAccessException {
        ClockPolicy.Decision decision = clockSync.sync(session);
        if (decision instanceof ClockPolicy.Decision.Alarm alarm) {
            return Readings.status(TaskStatus.WARN, "clock deviates by " + alarm.deviation().toSeconds() + " s, more "
                    + "than is corrected automatically: left alone, a clock alarm for someone to look at");
        }
        if (decision instanceof ClockPolicy.Decision.LeaveAlone leave) {
            return Readings.status(TaskStatus.EXE, "clock deviates by " + leave.deviation().toMillis()
                    + " ms: within tolerance");
        }
        return Readings.status(TaskStatus.EXE, "clock corrected: " + decision);
    }

    private static Readings command(MeterSession session, MeterCommand command) throws MeterAccessException {
        CommandResult result = session.execute(command);
        return new Readings(TaskStatus.EXE, "", List.of(), result.supplyState(), List.of(), Map.of());
    }

    /** The registers that could be read, in order. */
    public static List<RegisterReading> successful(List<DriverResult<RegisterReading>> results) {
        return results.stream().filter(DriverResult::isSuccess)
                .map(r -> ((DriverResult.Success<RegisterReading>) r).value()).toList();
    }

    /**
     * The entries of every log from its start to the meter's now, or with {@code completeSecondsOnly} to the end of
     * the meter's last completed second. A log the meter does not have (or lets this client read) is left out rather
     * than failing the others.
     */
    public static Map<EventLog, List<MeterEvent>> readLogs(MeterSession session, boolean completeSecondsOnly,
            LogStart start) throws MeterAccessException {
        Instant meterNow = session.readClock().meterTime();
        Instant to = completeSecondsOnly ? meterNow.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1) : meterNow;
        Map<EventLog, List<MeterEvent>> logs = new EnumMap<>(EventLog.class);
        for (EventLog log : EventLog.values()) {
            Instant from = start.of(log, meterNow);
            if (from.isAfter(to)) {
                continue;
            }
            try {
                logs.put(log, session.readEvents(log, from, to));
            } catch (MeterAccessException e) {
                FailureKind kind = e.failure().kind();
                if (kind != FailureKind.OBJECT_UNDEFINED && kind != FailureKind.ACCESS_DENIED) {
                    throw e;
                }
                LOG.log(Level.DEBUG, "{0} has no readable {1} log: {2}", session.meter().serial(), log,
                        e.getMessage());
            }
        }
        return logs;
    }
}

package org.medida.edge.collector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.medida.edge.api.AppendResult;
import org.medida.edge.api.CommandResult;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.InventoryMeter;
import org.medida.edge.api.MeterAccessException;
import org.medida.edge.api.MeterCommand;
import org.medida.edge.api.MeterDriver;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.MeterInventory;
import org.medida.edge.api.MeterSession;
import org.medida.edge.api.MeterState;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.ReadingStore;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;

/**
 * Carries out {@link MeterTask}s at the task's priority. A task whose meter is unknown or not commissioned, or that
 * is not started before it expires, ends FAIL without a conversation; an expiry while the task waits for its channel
 * answers at the expiry, and the waiting conversation then ends without a request to the meter. What a task reads is
 * also appended to the store (requirement: everything read reaches central through the normal flow).
 */
final class OnDemandTasks implements OnDemandWork {

    /** Billing and current energy registers read by {@link org.medida.edge.api.TaskKind#READ_REGISTERS}. */
    static final List<String> ENERGY_REGISTERS = List.of("1.0.1.8.0.255", "1.0.1.8.1.255", "1.0.1.8.2.255",
            "1.0.1.8.3.255", "1.0.1.8.4.255", "1.0.1.8.5.255", "1.0.1.8.6.255", "1.0.2.8.0.255", "1.0.3.8.0.255",
            "1.0.4.8.0.255", "1.0.1.6.0.255");

    private final MeterDriver driver;
    private final ReadingStore store;
    private final MeterInventory inventory;
    private final MeterWork work;
    private final CollectorSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    OnDemandTasks(MeterDriver driver, ReadingStore store, MeterInventory inventory, MeterWork work,
            CollectorSettings settings, Clock clock, ScheduledExecutorService timer) {
        this.driver = driver;
        this.store = store;
        this.inventory = inventory;
        this.work = work;
        this.settings = settings;
        this.clock = clock;
        this.timer = timer;
    }

    /** What a task did on the meter, before its readings are stored. */
    private record Done(TaskStatus status, String detail, List<RegisterReading> registers, SupplyState supply,
            List<IntervalBlock> profiles, Map<EventLog, List<MeterEvent>> events) {

        static Done status(TaskStatus status, String detail) {
            return new Done(status, detail, List.of(), null, List.of(), Map.of());
        }
    }

    @Override
    public CompletionStage<TaskOutcome> submit(MeterTask task) {
        Instant now = clock.instant();
        if (!now.isBefore(task.expiresAt())) {
            return CompletableFuture.completedFuture(TaskOutcome.failed(task, "expired", now));
        }
        InventoryMeter meter = inventory.meter(task.serial()).orElse(null);
        if (meter == null) {
            return CompletableFuture.completedFuture(TaskOutcome.failed(task, "unknown meter " + task.serial(), now));
        }
        if (meter.state() != MeterState.COMMISSIONED) {
            return CompletableFuture.completedFuture(
                    TaskOutcome.failed(task, "meter " + task.serial() + " is " + meter.state(), now));
        }
        CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
        AtomicBoolean decided = new AtomicBoolean();
        long untilExpiry = Duration.between(now, task.expiresAt()).toMillis();
        ScheduledFuture<?> expiry;
        try {
            expiry = timer.schedule(() -> {
                if (decided.compareAndSet(false, true)) {
                    outcome.complete(TaskOutcome.failed(task, "expired", clock.instant()));
                }
            }, untilExpiry, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(TaskOutcome.failed(task, "the collector has stopped", now));
        }
        driver.<Done>submit(meter.meter(), task.priority(), session -> {
            if (!decided.compareAndSet(false, true)) {
                return null;
            }
            if (!clock.instant().isBefore(task.expiresAt())) {
                return Done.status(TaskStatus.FAIL, "expired");
            }
            return perform(task, session);
        }).whenComplete((result, error) -> {
            expiry.cancel(false);
            if (result instanceof DriverResult.Success<Done> success && success.value() == null) {
                return;
            }
            decided.set(true);
            work.recordAttempt(task.serial(), result != null ? result
                    : DriverResult.failed(FailureKind.METER_ERROR, String.valueOf(error)));
            outcome.complete(outcomeOf(task, result));
        });
        return outcome;
    }

    private TaskOutcome outcomeOf(MeterTask task, DriverResult<Done> result) {
        Instant at = clock.instant();
        if (!(result instanceof DriverResult.Success<Done> success)) {
            String reason = result instanceof DriverResult.Failed<Done> failed
                    ? failed.failure().kind() + ": " + failed.failure().detail()
                    : "the driver gave no result";
            return TaskOutcome.failed(task, reason, at);
        }
        Done done = success.value();
        List<String> notes = new ArrayList<>();
        if (!done.detail().isEmpty()) {
            notes.add(done.detail());
        }
        TaskStatus status = done.status();
        if (!done.registers().isEmpty()) {
            store.appendRegisters(task.serial(), done.registers());
        }
        for (IntervalBlock profile : done.profiles()) {
            if (!profile.intervals().isEmpty()
                    && store.appendIntervals(profile).outcome() == AppendResult.Outcome.REFUSED_STORE_FULL) {
                notes.add("the store is full: " + profile.profileObis() + " entries not kept");
                status = TaskStatus.WARN;
            }
        }
        done.events().forEach((log, events) -> {
            if (!events.isEmpty()) {
                store.appendEvents(task.serial(), events);
            }
        });
        return new TaskOutcome(task.correlationId(), task.serial(), status, String.join("; ", notes), at,
                done.registers(), done.supply());
    }

    private Done perform(MeterTask task, MeterSession session) throws MeterAccessException {
        return switch (task.kind()) {
            case READ_REGISTERS -> registers(session, ENERGY_REGISTERS);
            case READ_INSTANTANEOUS -> registers(session, MeterWork.INSTANTANEOUS);
            case READ_PROFILE -> profiles(session, lookBack(task));
            case READ_EVENTS -> events(session, lookBack(task));
            case SYNC_CLOCK -> clock(session);
            case DISCONNECT -> command(session, new MeterCommand.Disconnect());
            case RECONNECT -> command(session, new MeterCommand.Reconnect());
            case CLEAR_POWER_LIMIT -> command(session, new MeterCommand.ClearPowerLimit());
            case SET_POWER_LIMIT -> task.argument() > 0
                    ? command(session, new MeterCommand.SetPowerLimit(task.argument()))
                    : Done.status(TaskStatus.FAIL, "a power limit must be positive, not " + task.argument() + " W");
        };
    }

    /** The task's look-back, or one profile period when it gives none. */
    private Duration lookBack(MeterTask task) {
        return task.argument() > 0 ? Duration.ofSeconds(task.argument()) : settings.profileEvery();
    }

    private static Done registers(MeterSession session, List<String> obisCodes) throws MeterAccessException {
        List<DriverResult<RegisterReading>> results = session.readRegisters(obisCodes);
        List<RegisterReading> read = MeterWork.successful(results);
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
        return new Done(status, detail, read, null, List.of(), Map.of());
    }

    private Done profiles(MeterSession session, Duration lookBack) throws MeterAccessException {
        Instant meterNow = session.readClock().meterTime();
        List<IntervalBlock> blocks = new ArrayList<>();
        int entries = 0;
        for (String profile : settings.profiles()) {
            IntervalBlock block = session.readProfile(profile, meterNow.minus(lookBack), meterNow);
            blocks.add(block);
            entries += block.intervals().size();
        }
        return new Done(TaskStatus.EXE, entries + " profile entries", List.of(), null, blocks, Map.of());
    }

    private Done events(MeterSession session, Duration lookBack) throws MeterAccessException {
        Map<EventLog, List<MeterEvent>> logs = work.readLogs(session, false,
                (log, meterNow) -> meterNow.minus(lookBack));
        int count = logs.values().stream().mapToInt(List::size).sum();
        return new Done(TaskStatus.EXE, count + " events", List.of(), null, List.of(), logs);
    }

    private Done clock(MeterSession session) throws MeterAccessException {
        ClockPolicy.Decision decision = work.syncClock(session);
        if (decision instanceof ClockPolicy.Decision.Alarm alarm) {
            return Done.status(TaskStatus.WARN, "clock deviates by " + alarm.deviation().toSeconds()
                    + " s, more than the gateway corrects: left alone, alarm raised");
        }
        if (decision instanceof ClockPolicy.Decision.LeaveAlone leave) {
            return Done.status(TaskStatus.EXE, "clock deviates by " + leave.deviation().toMillis()
                    + " ms: within tolerance");
        }
        return Done.status(TaskStatus.EXE, "clock corrected: " + decision);
    }

    private static Done command(MeterSession session, MeterCommand command) throws MeterAccessException {
        CommandResult result = session.execute(command);
        return new Done(TaskStatus.EXE, "", List.of(), result.supplyState(), List.of(), Map.of());
    }
}

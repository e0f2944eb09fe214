package org.medida.edge.collector;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

import org.medida.edge.api.AppendResult;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.InventoryMeter;
import org.medida.edge.api.MeterDriver;
import org.medida.edge.api.MeterInventory;
import org.medida.edge.api.MeterState;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.ReadingStore;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.edge.tasks.TaskRunner;

/**
 * Carries out {@link MeterTask}s at the task's priority, as the shared {@link TaskRunner} defines them. A task whose
 * meter is unknown or not commissioned ends FAIL without a conversation. What a task reads is also appended to the
 * store (requirement: everything read reaches central through the normal flow).
 */
final class OnDemandTasks implements OnDemandWork {

    private final ReadingStore store;
    private final MeterInventory inventory;
    private final MeterWork work;
    private final Clock clock;
    private final TaskRunner runner;

    OnDemandTasks(MeterDriver driver, ReadingStore store, MeterInventory inventory, MeterWork work,
            CollectorSettings settings, Clock clock, ScheduledExecutorService timer) {
        this.store = store;
        this.inventory = inventory;
        this.work = work;
        this.clock = clock;
        // a task without a look-back reads one profile period
        this.runner = new TaskRunner(driver, settings.profiles(), settings.profileEvery(), work::syncClock, clock,
                timer);
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
        try {
            return runner.run(meter.meter(), task, result -> {
                work.recordAttempt(task.serial(), result);
                return outcomeOf(task, result);
            });
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(TaskOutcome.failed(task, "the collector has stopped", now));
        }
    }

    private TaskOutcome outcomeOf(MeterTask task, DriverResult<TaskRunner.Readings> result) {
        Instant at = clock.instant();
        if (result instanceof DriverResult.Failed<TaskRunner.Readings> failed) {
            return TaskRunner.failed(task, failed.failure(), at);
        }
        TaskRunner.Readings done = ((DriverResult.Success<TaskRunner.Readings>) result).value();
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
}

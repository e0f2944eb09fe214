package org.medida.edge.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.MeterState;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.Priority;
import org.medida.edge.api.Reachability;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.edge.tasks.TaskRunner;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.LinkEmulation;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.TimeWindow;

class OnDemandTest {

    @TempDir
    Path dir;

    private static TaskOutcome await(CompletableFuture<TaskOutcome> outcome) throws Exception {
        return outcome.get(120, TimeUnit.SECONDS);
    }

    private static MeterTask task(String serial, TaskKind kind, long argument, Duration expiresIn) {
        return new MeterTask("c-" + kind + "-" + System.nanoTime(), serial, kind, argument, Priority.HIGH,
                Instant.now().plus(expiresIn));
    }

    private static CompletableFuture<TaskOutcome> submit(Gateway gateway, MeterTask task) {
        return gateway.collector.submit(task).toCompletableFuture();
    }

    /** What a register says, without the read time (the store keeps it to the millisecond). */
    private static Set<List<Object>> values(List<RegisterReading> readings) {
        return readings.stream().map(r -> List.<Object>of(r.obis(), r.value(), r.unit(),
                String.valueOf(r.captureTime()))).collect(Collectors.toSet());
    }

    @Test
    void readsRegistersNowAndAlsoStoresThem() throws Exception {
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1), CollectorSettings.defaults())) {
            SimulatedMeter meter = gateway.meter(0);
            long before = meter.model().totals().importWh();
            TaskOutcome outcome = await(submit(gateway, task(meter.serial(), TaskKind.READ_REGISTERS, 0,
                    Duration.ofMinutes(1))));
            long after = meter.model().totals().importWh();

            assertEquals(TaskStatus.EXE, outcome.status(), outcome.detail());
            assertEquals(TaskRunner.ENERGY_REGISTERS.size(), outcome.registers().size());
            RegisterReading total = outcome.registers().get(0);
            assertEquals("1.0.1.8.0.255", total.obis());
            assertTrue(total.value().compareTo(BigDecimal.valueOf(before)) >= 0
                    && total.value().compareTo(BigDecimal.valueOf(after)) <= 0, total + " in " + before + ".." + after);
            assertEquals(values(outcome.registers()), values(gateway.drain().registers()));
            assertTrue(gateway.inventory.meter(meter.serial()).orElseThrow().reachability().reachable());
        }
    }

    @Test
    void readsProfileAndEventsOverTheLookBackIntoTheStoreWithoutMovingMarks() throws Exception {
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1), CollectorSettings.defaults())) {
            SimulatedMeter meter = gateway.meter(0);
            meter.setLink(LinkEmulation.NONE.withPoweredOff(List.of(TimeWindow.of(
                    meter.clock().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS), Duration.ofMinutes(20)))));
            TaskOutcome profile = await(submit(gateway, task(meter.serial(), TaskKind.READ_PROFILE, 7200,
                    Duration.ofMinutes(1))));
            assertEquals(TaskStatus.EXE, profile.status(), profile.detail());
            Gateway.Drained read = gateway.drain();
            assertTrue(read.entries() >= 7 && read.entries() <= 8, "two hours of entries: " + read.entries());
            assertTrue(profile.detail().startsWith(read.entries() + " profile entries"), profile.detail());

            TaskOutcome events = await(submit(gateway, task(meter.serial(), TaskKind.READ_EVENTS, 4 * 3600,
                    Duration.ofMinutes(1))));
            assertEquals(TaskStatus.EXE, events.status(), events.detail());
            assertTrue(gateway.drain().events().stream().anyMatch(e -> e.log() == EventLog.POWER_FAILURE),
                    "the power failure of the look-back");
            assertTrue(gateway.inventory.meter(meter.serial()).orElseThrow().highWaterMarks().isEmpty());
        }
    }

    @Test
    void disconnectsAndReconnectsReportingTheRelayAsTheMeterHasIt() throws Exception {
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1), CollectorSettings.defaults())) {
            SimulatedMeter meter = gateway.meter(0);
            TaskOutcome off = await(submit(gateway, task(meter.serial(), TaskKind.DISCONNECT, 0, Duration.ofMinutes(1))));
            assertEquals(TaskStatus.EXE, off.status(), off.detail());
            assertFalse(off.supplyState().relayClosed());
            assertFalse(meter.relayClosed());
            TaskOutcome on = await(submit(gateway, task(meter.serial(), TaskKind.RECONNECT, 0, Duration.ofMinutes(1))));
            assertTrue(on.supplyState().relayClosed());
            assertTrue(meter.relayClosed());

            TaskOutcome noLimit = await(submit(gateway, task(meter.serial(), TaskKind.SET_POWER_LIMIT, 0,
                    Duration.ofMinutes(1))));
            assertEquals(TaskStatus.FAIL, noLimit.status());
        }
    }

    @Test
    void unknownDecommissionedAndExpiredTasksFailWithoutTouchingAMeter() throws Exception {
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(2), CollectorSettings.defaults())) {
            TaskOutcome unknown = await(submit(gateway, task("NOPE01", TaskKind.READ_REGISTERS, 0,
                    Duration.ofMinutes(1))));
            assertEquals(TaskStatus.FAIL, unknown.status());
            assertEquals("unknown meter NOPE01", unknown.detail());

            String first = gateway.meter(0).serial();
            MeterTask expired = new MeterTask("late", first, TaskKind.DISCONNECT, 0, Priority.HIGH,
                    Instant.now().minusSeconds(1));
            TaskOutcome late = await(submit(gateway, expired));
            assertEquals(TaskStatus.FAIL, late.status());
            assertEquals("expired", late.detail());
            assertTrue(gateway.meter(0).relayClosed());
            assertEquals(Reachability.UNKNOWN, gateway.inventory.meter(first).orElseThrow().reachability());

            String second = gateway.meter(1).serial();
            gateway.inventory.changeState(second, MeterState.DECOMMISSIONED, Instant.now());
            TaskOutcome decommissioned = await(submit(gateway, task(second, TaskKind.READ_REGISTERS, 0,
                    Duration.ofMinutes(1))));
            assertEquals(TaskStatus.FAIL, decommissioned.status());
            assertTrue(decommissioned.detail().contains("DECOMMISSIONED"), decommissioned.detail());
        }
    }

    @Test
    void aStoppedCollectorAnswersFailInsteadOfThrowing() throws Exception {
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1), CollectorSettings.defaults())) {
            gateway.collector.close();
            TaskOutcome outcome = await(submit(gateway, task(gateway.meter(0).serial(), TaskKind.READ_REGISTERS, 0,
                    Duration.ofMinutes(1))));
            assertEquals(TaskStatus.FAIL, outcome.status());
            assertEquals("the collector has stopped", outcome.detail());
        }
    }

    /** Three meters behind one port share a channel; every answer takes 150 ms. */
    private Gateway sharedSlowChannel(int backfillHours) throws Exception {
        Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(3).metersPerPort(3),
                CollectorSettings.defaults().withInitialBackfill(Duration.ofHours(backfillHours)).withChunks(2, 960));
        gateway.fleet.meters().forEach(m -> m.setLink(LinkEmulation.NONE.withLatency(Duration.ofMillis(150),
                Duration.ZERO)));
        return gateway;
    }

    @Test
    void onDemandWorkJumpsAheadOfScheduledCollectionOnItsChannel() throws Exception {
        try (Gateway gateway = sharedSlowChannel(6)) {
            // 6 hours in chunks of 2 entries: 12 conversations per meter, queued on the one channel
            CompletableFuture<Boolean> first = gateway.collector.runNow(Job.PROFILE, gateway.meter(0).serial())
                    .toCompletableFuture();
            CompletableFuture<Boolean> second = gateway.collector.runNow(Job.PROFILE, gateway.meter(1).serial())
                    .toCompletableFuture();
            Thread.sleep(500);
            TaskOutcome outcome = await(submit(gateway, task(gateway.meter(2).serial(), TaskKind.READ_INSTANTANEOUS,
                    0, Duration.ofMinutes(1))));
            assertEquals(TaskStatus.EXE, outcome.status(), outcome.detail());
            assertFalse(first.isDone() && second.isDone(), "the on-demand read did not wait for scheduled work");
            assertTrue(first.get(300, TimeUnit.SECONDS) && second.get(300, TimeUnit.SECONDS));
        }
    }

    @Test
    void aTaskThatExpiresWhileWaitingForItsChannelFailsAtItsExpiry() throws Exception {
        try (Gateway gateway = sharedSlowChannel(2)) {
            CompletableFuture<Boolean> collecting = gateway.collector.runNow(Job.PROFILE, gateway.meter(0).serial())
                    .toCompletableFuture();
            Thread.sleep(300);
            String waiting = gateway.meter(1).serial();
            MeterTask task = new MeterTask("soon", waiting, TaskKind.DISCONNECT, 0, Priority.HIGH,
                    Instant.now().plusMillis(200));
            TaskOutcome outcome = await(submit(gateway, task));
            assertEquals(TaskStatus.FAIL, outcome.status());
            assertEquals("expired", outcome.detail());
            assertTrue(outcome.completedAt().isBefore(task.expiresAt().plusSeconds(2)), "answered at the expiry");
            collecting.get(300, TimeUnit.SECONDS);
            assertTrue(gateway.meter(1).relayClosed(), "the expired disconnect never reached the meter");
        }
    }

    @Test
    void aMeterThatDoesNotAnswerFailsTheTaskAndCountsAsUnreachable() throws Exception {
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1), CollectorSettings.defaults())) {
            SimulatedMeter meter = gateway.meter(0);
            meter.setLink(LinkEmulation.NONE.withPoweredOff(List.of(TimeWindow.of(meter.clock().minusSeconds(60),
                    Duration.ofHours(1)))));
            TaskOutcome outcome = await(submit(gateway, task(meter.serial(), TaskKind.READ_REGISTERS, 0,
                    Duration.ofMinutes(2))));
            assertEquals(TaskStatus.FAIL, outcome.status());
            assertTrue(outcome.detail().startsWith("TIMEOUT"), outcome.detail());
            Reachability reachability = gateway.inventory.meter(meter.serial()).orElseThrow().reachability();
            assertFalse(reachability.reachable());
            assertNotNull(reachability.lastFailure());
            assertEquals(FailureKind.TIMEOUT, reachability.lastFailureReason().kind());
            assertEquals(1, reachability.consecutiveFailures());
        }
    }
}

package org.medida.edge.collector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.Reachability;
import org.medida.edge.tasks.ClockPolicy;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.LinkEmulation;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.TimeWindow;

class ScheduleTest {

    private static final String LP = CollectorSettings.LOAD_PROFILE;

    @TempDir
    Path dir;

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void theScheduleKeepsCollectingWhileAMeterThatDoesNotAnswerHoldsOnlyItsOwnWorker() throws Exception {
        // a 15-minute capture every 15 s of test time; the profile is brought up to date every 2 s
        CollectorSettings settings = CollectorSettings.defaults().withProfileEvery(Duration.ofSeconds(2))
                .withInitialBackfill(Duration.ofHours(2)).withClock(Duration.ZERO, ClockPolicy.defaults());
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(3).timeAcceleration(60), settings)) {
            SimulatedMeter silent = gateway.meter(0);
            silent.setLink(LinkEmulation.NONE.withPoweredOff(List.of(
                    TimeWindow.of(silent.clock().minusSeconds(60), Duration.ofDays(30)))));
            gateway.collector.start();

            List<SimulatedMeter> answering = List.of(gateway.meter(1), gateway.meter(2));
            await("first marks", () -> answering.stream()
                    .allMatch(m -> gateway.mark(m.serial(), LP).isPresent()));
            Instant firstMark = answering.stream().map(m -> gateway.mark(m.serial(), LP).orElseThrow())
                    .max(Instant::compareTo).orElseThrow();
            await("two more captures collected from each answering meter", () -> answering.stream()
                    .allMatch(m -> !gateway.mark(m.serial(), LP).orElseThrow()
                            .isBefore(firstMark.plus(Duration.ofMinutes(30)))));
            await("the silent meter counted as unreachable", () -> {
                Reachability reachability = gateway.inventory.meter(silent.serial()).orElseThrow().reachability();
                return reachability.consecutiveFailures() >= 1 && !reachability.reachable();
            });
            assertTrue(gateway.mark(silent.serial(), LP).isEmpty());
        }
    }
}

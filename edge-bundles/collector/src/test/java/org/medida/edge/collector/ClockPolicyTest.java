package org.medida.edge.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.Priority;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.edge.tasks.ClockPolicy;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.SimulatedMeter;

/** Meters whose clock runs ahead of the gateway by a given amount from the start. */
class ClockPolicyTest {

    private static final ClockPolicy POLICY = new ClockPolicy(Duration.ofSeconds(5), Duration.ofHours(1));

    @TempDir
    Path dir;

    private Gateway gatewayWithClockAhead(Duration ahead, String name) throws Exception {
        return Gateway.start(dir.resolve(name), FleetConfig.builder().meters(1).epoch(Instant.now().plus(ahead)),
                CollectorSettings.defaults().withClock(Duration.ofHours(1), POLICY));
    }

    private static long secondsAhead(SimulatedMeter meter) {
        return Duration.between(Instant.now(), meter.clock()).toSeconds();
    }

    @Test
    void aSmallDeviationIsLeftAlone() throws Exception {
        try (Gateway gateway = gatewayWithClockAhead(Duration.ofSeconds(3), "small")) {
            assertTrue(gateway.run(Job.CLOCK, gateway.meter(0).serial()));
            assertTrue(Math.abs(secondsAhead(gateway.meter(0)) - 3) <= 1, "untouched: " + secondsAhead(gateway.meter(0)));
        }
    }

    @Test
    void aDeviationUpTo900SecondsIsShiftedAndALargerOneSet() throws Exception {
        for (long seconds : new long[] {120, 1200}) {
            try (Gateway gateway = gatewayWithClockAhead(Duration.ofSeconds(seconds), "ahead" + seconds)) {
                assertTrue(gateway.run(Job.CLOCK, gateway.meter(0).serial()));
                assertTrue(Math.abs(secondsAhead(gateway.meter(0))) <= 2,
                        seconds + " s ahead corrected to " + secondsAhead(gateway.meter(0)));
                assertTrue(gateway.alarms.isEmpty());
            }
        }
    }

    @Test
    void aDeviationBeyondTheMaximumRaisesAnAlarmAndLeavesTheClock() throws Exception {
        try (Gateway gateway = gatewayWithClockAhead(Duration.ofHours(2), "alarm")) {
            SimulatedMeter meter = gateway.meter(0);
            TaskOutcome outcome = gateway.collector.submit(new MeterTask("sync-1", meter.serial(),
                    TaskKind.SYNC_CLOCK, 0, Priority.HIGH, Instant.now().plusSeconds(60)))
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(TaskStatus.WARN, outcome.status(), outcome.detail());
            assertTrue(outcome.detail().contains("alarm"), outcome.detail());
            assertEquals(1, gateway.alarms.size());
            assertTrue(Math.abs(secondsAhead(meter) - 7200) <= 2, "left alone: " + secondsAhead(meter));
        }
    }
}

package org.medida.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A fleet at real speed shows wall time, so clock-policy thresholds of a few seconds can be tested against it. */
class FleetClockTest {

    @Test
    void everyMeterOfARealTimeFleetShowsWallTime() throws Exception {
        try (MeterFleet fleet = MeterFleet.start(FleetConfig.builder().meters(200).metersPerPort(50).basePort(0)
                .build())) {
            for (SimulatedMeter meter : fleet.meters()) {
                Instant before = Instant.now();
                Instant shown = meter.clock();
                Instant after = Instant.now();
                Duration lag = Duration.between(shown, before);
                assertTrue(!shown.isAfter(after.plusMillis(50)) && lag.compareTo(Duration.ofMillis(100)) < 0,
                        meter.serial() + " shows " + shown + " at wall time " + before);
            }
        }
    }
}

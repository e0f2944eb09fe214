package org.medida.edge.dlms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.medida.edge.dlms.TestMeters.read;
import static org.medida.edge.dlms.TestMeters.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.SimulatedMeter;

/**
 * A meter that refuses range access: the driver falls back to reading by entry and finds the same entries, also
 * across an outage that left a gap in the profile, and in the middle of a full buffer.
 */
class RangelessMeterTest {

    private static final String LOAD_PROFILE = "1.0.99.1.0.255";

    @TempDir
    static Path state;
    private static MeterWithOutage bench;
    private static SimulatedMeter meter;
    private static DlmsMeterDriver driver;

    @BeforeAll
    static void startMeter() throws Exception {
        bench = MeterWithOutage.start(FleetConfig.builder().rangeAccess(false).profileEntries(200).keySeed("rangeless"),
                Duration.ofHours(10), Duration.ofHours(2), state);
        meter = bench.meter();
        driver = bench.driver();
    }

    @AfterAll
    static void stopMeter() {
        bench.close();
    }

    @Test
    void recentEntriesAcrossAnOutage() throws Exception {
        Instant to = meter.clock();
        Instant from = to.minus(Duration.ofHours(14));
        IntervalBlock block = read(driver, TestMeters.publicClient(meter), s -> s.readProfile(LOAD_PROFILE, from, to));
        WrapperMeterTest.assertProfileMatchesModel(meter, block, from, to);
    }

    @Test
    void aWindowInTheMiddleOfTheBuffer() throws Exception {
        Instant to = meter.clock().minus(Duration.ofHours(20));
        Instant from = to.minus(Duration.ofHours(6));
        IntervalBlock block = read(driver, TestMeters.hls5(meter), s -> s.readProfile(LOAD_PROFILE, from, to));
        WrapperMeterTest.assertProfileMatchesModel(meter, block, from, to);
    }

    @Test
    void aWindowOlderThanTheBufferIsEmpty() throws Exception {
        Instant to = meter.clock().minus(Duration.ofDays(5));
        IntervalBlock block = read(driver, TestMeters.lls(meter),
                s -> s.readProfile(LOAD_PROFILE, to.minus(Duration.ofHours(1)), to));
        assertEquals(List.of(), block.intervals());
    }

    @Test
    void eventLogsWithoutCapturePeriodAreScannedFromTheNewestEntry() throws Exception {
        Instant to = meter.clock();
        Instant from = to.minus(Duration.ofHours(11));
        List<MeterEvent> events = read(driver, TestMeters.lls(meter), s -> s.readEvents(EventLog.STANDARD, from, to));
        List<Instant> expected = meter.model().events(org.medida.simulator.model.EventLog.STANDARD).stream()
                .map(e -> e.time()).filter(t -> !t.isBefore(from) && !t.isAfter(to))
                .map(t -> Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), 10) * 10)).toList();
        assertFalse(expected.isEmpty());
        assertEquals(expected, events.stream().map(MeterEvent::timestamp).toList());
    }
}

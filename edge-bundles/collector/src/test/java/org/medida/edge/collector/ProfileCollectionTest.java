package org.medida.edge.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.AppendResult;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.ProfileChannel;
import org.medida.edge.api.ProfileGap;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.tasks.ClockPolicy;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.LinkEmulation;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.TimeWindow;
import org.medida.simulator.model.ProfileEntry;

class ProfileCollectionTest {

    private static final String LP = CollectorSettings.LOAD_PROFILE;
    private static final Duration PERIOD = Duration.ofMinutes(15);

    @TempDir
    Path dir;

    private static CollectorSettings sixHours(int chunkEntries) {
        return CollectorSettings.defaults().withInitialBackfill(Duration.ofHours(6)).withChunks(chunkEntries, 960);
    }

    private static List<Interval> entries(Gateway.Drained drained) {
        return drained.intervals().stream().flatMap(b -> b.intervals().stream())
                .sorted(Comparator.comparing(Interval::end)).toList();
    }

    /** Every stored entry is the meter's own: same end, status and cumulative A+ and A- as the model. */
    private static void assertAsMeasured(SimulatedMeter meter, List<Interval> stored) {
        for (Interval interval : stored) {
            ProfileEntry expected = meter.model().profileEntryAt(interval.end());
            assertEquals(0, BigDecimal.valueOf(expected.importWh()).compareTo(interval.values().get(0)),
                    "A+ at " + interval.end());
            assertEquals(0, BigDecimal.valueOf(expected.exportWh()).compareTo(interval.values().get(1)),
                    "A- at " + interval.end());
            assertEquals(expected.status(), interval.status(), "status at " + interval.end());
        }
    }

    @Test
    void storesInChunksWhatTheMeterMeasuredAndASecondCollectionNothingAgain() throws Exception {
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1), sixHours(5))) {
            SimulatedMeter meter = gateway.meter(0);
            assertTrue(gateway.run(Job.PROFILE, meter.serial()));

            Gateway.Drained first = gateway.drain();
            List<Interval> stored = entries(first);
            Instant mark = gateway.mark(meter.serial(), LP).orElseThrow();
            assertEquals(stored.get(stored.size() - 1).end(), mark);
            List<Instant> expectedEnds = meter.model().loadProfile().stream().map(ProfileEntry::time)
                    .filter(t -> t.isAfter(meter.clock().minus(Duration.ofHours(6)).minus(PERIOD))
                            && !t.isAfter(mark))
                    .filter(t -> !t.isBefore(stored.get(0).end())).toList();
            assertEquals(expectedEnds, stored.stream().map(Interval::end).toList());
            assertTrue(stored.size() >= 23, "six hours of 15-minute entries, got " + stored.size());
            assertAsMeasured(meter, stored);
            assertEquals(List.of(new ProfileChannel("1.0.1.8.0.255", "Wh"), new ProfileChannel("1.0.2.8.0.255", "Wh")),
                    first.intervals().get(0).channels());
            assertTrue(first.gaps().isEmpty(), "no gaps: " + first.gaps());

            assertTrue(gateway.run(Job.PROFILE, meter.serial()));
            // only an entry the meter captured since (a period boundary passed) may come, nothing read before
            List<Interval> again = entries(gateway.drain());
            assertTrue(again.stream().allMatch(i -> i.end().isAfter(mark)), "re-stored: " + again);
            assertTrue(again.size() <= 1);
        }
    }

    @Test
    void aPoweredOffWindowBecomesAGapWithoutInventedValues() throws Exception {
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1), sixHours(96))) {
            SimulatedMeter meter = gateway.meter(0);
            TimeWindow outage = TimeWindow.of(meter.clock().minus(Duration.ofHours(3)), Duration.ofMinutes(70));
            meter.setLink(LinkEmulation.NONE.withPoweredOff(List.of(outage)));
            assertTrue(gateway.run(Job.PROFILE, meter.serial()));

            Gateway.Drained drained = gateway.drain();
            List<Interval> stored = entries(drained);
            assertAsMeasured(meter, stored);
            assertEquals(1, drained.gaps().size(), "gaps: " + drained.gaps());
            ProfileGap gap = drained.gaps().get(0);
            List<Instant> missing = meter.model().loadProfile().stream().map(ProfileEntry::time).toList();
            assertFalse(missing.contains(gap.from()));
            assertFalse(missing.contains(gap.to()));
            assertTrue(missing.contains(gap.from().minus(PERIOD)) && missing.contains(gap.to().plus(PERIOD)));
            assertTrue(outage.contains(gap.from()) && outage.contains(gap.to()), gap + " in " + outage);
            assertTrue(stored.stream().noneMatch(i -> !i.end().isBefore(gap.from()) && !i.end().isAfter(gap.to())),
                    "no entry inside the gap");
        }
    }

    @Test
    void aMeterWithoutNewEntriesYetHasNoGapUntilALaterEntryProvesIt() throws Exception {
        // meter time runs 30 times faster: a 15-minute capture every 30 s of test time
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1).timeAcceleration(30),
                sixHours(96).withClock(Duration.ZERO, ClockPolicy.defaults()))) {
            SimulatedMeter meter = gateway.meter(0);
            Instant now = meter.clock();
            // powered off over the last hour, back on a moment ago: answers, but has no entries since the outage
            meter.setLink(LinkEmulation.NONE.withPoweredOff(List.of(
                    TimeWindow.of(now.minus(Duration.ofHours(1)), Duration.ofHours(1).minusSeconds(30)))));
            assertTrue(gateway.run(Job.PROFILE, meter.serial()));
            Gateway.Drained first = gateway.drain();
            assertTrue(first.gaps().isEmpty(), "no gap before a later entry: " + first.gaps());
            Instant mark = gateway.mark(meter.serial(), LP).orElseThrow();
            assertTrue(mark.isBefore(now.minus(Duration.ofMinutes(45))), "mark before the outage: " + mark);

            Instant nextCapture = Instant.ofEpochSecond(Math.floorDiv(meter.clock().getEpochSecond(), 900) * 900 + 900);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!meter.clock().isAfter(nextCapture.plusSeconds(30)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(gateway.run(Job.PROFILE, meter.serial()));
            Gateway.Drained second = gateway.drain();
            assertEquals(1, second.gaps().size(), "the new entry proves the gap: " + second.gaps());
            assertEquals(mark.plus(PERIOD), second.gaps().get(0).from());
            assertAsMeasured(meter, entries(second));
        }
    }

    @Test
    void aFullStoreKeepsTheMarkAndTheEntriesAreReadLater() throws Exception {
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1), sixHours(96), 64 * 1024)) {
            SimulatedMeter meter = gateway.meter(0);
            fillWithRegisters(gateway);
            assertFalse(gateway.run(Job.PROFILE, meter.serial()));
            assertTrue(gateway.mark(meter.serial(), LP).isEmpty(), "no mark while the store refuses");

            gateway.drain();
            assertTrue(gateway.run(Job.PROFILE, meter.serial()));
            assertTrue(gateway.mark(meter.serial(), LP).isPresent());
            assertTrue(entries(gateway.drain()).size() >= 23);
        }
    }

    /** Registers are never dropped: enough of them leave no room for any profile entry. */
    private static void fillWithRegisters(Gateway gateway) {
        IntervalBlock probe = new IntervalBlock("PROBE", LP, PERIOD, List.of(new ProfileChannel("1.0.1.8.0.255", "Wh")),
                List.of(new Interval(Instant.parse("2026-01-01T00:15:00Z"), 0, List.of(BigDecimal.ONE))));
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int round = 0; round < 1000; round++) {
            List<RegisterReading> readings = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                t = t.plusSeconds(1);
                readings.add(new RegisterReading("1.0.1.7.0.255", BigDecimal.valueOf(i), "W", null, t));
            }
            gateway.store.appendRegisters("FILLER", readings);
            if (gateway.store.appendIntervals(probe).outcome() == AppendResult.Outcome.REFUSED_STORE_FULL) {
                return;
            }
        }
        throw new AssertionError("the store never filled up");
    }

    @Test
    void aRestartedCollectorGoesOnFromTheStoredMark() throws Exception {
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1), sixHours(96))) {
            SimulatedMeter meter = gateway.meter(0);
            assertTrue(gateway.run(Job.PROFILE, meter.serial()));
            Instant mark = gateway.mark(meter.serial(), LP).orElseThrow();
            gateway.drain();

            gateway.restartCollector();
            assertEquals(mark, gateway.mark(meter.serial(), LP).orElseThrow());
            assertTrue(gateway.run(Job.PROFILE, meter.serial()));
            assertTrue(entries(gateway.drain()).stream().allMatch(i -> i.end().isAfter(mark)));
        }
    }

    @Test
    void aMarkOlderThanTheMetersBufferStartsAtTheBufferAndRecordsTheLostEntriesAsAGap() throws Exception {
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1).profileEntries(96),
                sixHours(48).withChunks(48, 96))) {
            SimulatedMeter meter = gateway.meter(0);
            Instant oldMark = Instant.ofEpochSecond(
                    Math.floorDiv(meter.clock().minus(Duration.ofDays(3)).getEpochSecond(), 900) * 900);
            gateway.inventory.moveHighWaterMark(meter.serial(), LP, oldMark);
            assertTrue(gateway.run(Job.PROFILE, meter.serial()));

            Gateway.Drained drained = gateway.drain();
            List<Interval> stored = entries(drained);
            assertEquals(meter.model().loadProfile().get(meter.model().loadProfile().size() - stored.size()).time(),
                    stored.get(0).end(), "from the oldest entry the meter still has");
            assertEquals(List.of(new ProfileGap(meter.serial(), LP, oldMark.plus(PERIOD),
                    stored.get(0).end().minus(PERIOD))), drained.gaps());
            assertAsMeasured(meter, stored);
        }
    }
}

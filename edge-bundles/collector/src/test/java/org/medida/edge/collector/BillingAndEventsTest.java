package org.medida.edge.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.tasks.ClockPolicy;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.LinkEmulation;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.TimeWindow;
import org.medida.simulator.model.BillingEntry;
import org.medida.simulator.model.EnergyTotals;

class BillingAndEventsTest {

    @TempDir
    Path dir;

    private static Map<String, BigDecimal> expectedClosure(EnergyTotals totals) {
        return Map.of("1.0.1.8.0.255", BigDecimal.valueOf(totals.importWh()),
                "1.0.1.8.1.255", BigDecimal.valueOf(totals.tariffWh(1)),
                "1.0.1.8.2.255", BigDecimal.valueOf(totals.tariffWh(2)),
                "1.0.1.8.3.255", BigDecimal.valueOf(totals.tariffWh(3)),
                "1.0.2.8.0.255", BigDecimal.valueOf(totals.exportWh()));
    }

    private static void assertClosure(BillingEntry expected, List<RegisterReading> stored) {
        List<RegisterReading> ofDay = stored.stream().filter(r -> expected.time().equals(r.captureTime())).toList();
        Map<String, BigDecimal> byObis = ofDay.stream()
                .collect(Collectors.toMap(RegisterReading::obis, RegisterReading::value));
        assertEquals(expectedClosure(expected.totals()).keySet(), byObis.keySet());
        expectedClosure(expected.totals()).forEach((obis, value) ->
                assertEquals(0, value.compareTo(byObis.get(obis)), obis + " at " + expected.time()));
    }

    @Test
    void theDailyClosureIsReadAfterMidnightAsRegistersWithTheRowsCaptureTime() throws Exception {
        // two minutes before midnight, meter time 60 times faster: midnight passes after two seconds
        Instant epoch = Instant.parse("2026-03-01T23:58:00Z");
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1).epoch(epoch).timeAcceleration(60),
                CollectorSettings.defaults())) {
            SimulatedMeter meter = gateway.meter(0);
            assertTrue(gateway.run(Job.BILLING, meter.serial()));
            List<RegisterReading> first = gateway.drain().registers();
            Instant yesterdayClosure = Instant.parse("2026-03-01T00:00:00Z");
            assertEquals(5, first.size(), "one closure row of five registers: " + first);
            assertClosure(meter.model().dailyBilling().stream().filter(b -> b.time().equals(yesterdayClosure))
                    .findFirst().orElseThrow(), first);
            assertEquals(yesterdayClosure, gateway.mark(meter.serial(), MeterWork.DAILY_BILLING).orElseThrow());

            Instant midnight = Instant.parse("2026-03-02T00:00:00Z");
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!meter.clock().isAfter(midnight.plusSeconds(60)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(gateway.run(Job.BILLING, meter.serial()));
            List<RegisterReading> second = gateway.drain().registers();
            assertEquals(5, second.size(), "only the new closure: " + second);
            List<BillingEntry> billing = meter.model().dailyBilling();
            assertClosure(billing.get(billing.size() - 1), second);
            assertEquals(midnight, billing.get(billing.size() - 1).time());
            assertEquals(midnight, gateway.mark(meter.serial(), MeterWork.DAILY_BILLING).orElseThrow());
        }
    }

    @Test
    void billingIsDueAtTheBillingTimeOfTheConfiguredZoneAndPeriodicJobsDoNotDrift() {
        CollectorSettings settings = new CollectorSettings(List.of(CollectorSettings.LOAD_PROFILE),
                Duration.ofMinutes(15), 96, 960, Duration.ofHours(24), LocalTime.of(0, 10), ZoneId.of("Europe/Madrid"),
                Duration.ofHours(1), Duration.ZERO, Duration.ZERO, ClockPolicy.defaults(), 4);
        // Madrid is UTC+1 in March: 00:10 local is 23:10 UTC the day before
        assertEquals(Instant.parse("2026-03-01T23:10:00Z"),
                Job.BILLING.nextDue(Instant.parse("2026-03-01T22:00:00Z"), true, settings));
        assertEquals(Instant.parse("2026-03-02T23:10:00Z"),
                Job.BILLING.nextDue(Instant.parse("2026-03-01T23:10:00Z"), true, settings));
        // a failed billing read is tried again one profile period later
        assertEquals(Instant.parse("2026-03-01T23:15:00Z"),
                Job.BILLING.nextDue(Instant.parse("2026-03-01T23:10:04Z"), false, settings));
        // a run that ended late skips to the next slot instead of drifting or catching up
        assertEquals(Instant.parse("2026-03-01T10:45:00Z"),
                Job.PROFILE.nextDue(Instant.parse("2026-03-01T10:44:59.500Z"), true, settings));
        assertEquals(Instant.parse("2026-03-01T11:00:00Z"),
                Job.PROFILE.nextDue(Instant.parse("2026-03-01T10:45:00Z"), true, settings));
        assertTrue(!Job.CLOCK.enabled(settings) && !Job.INSTANTANEOUS.enabled(settings) && Job.EVENTS.enabled(settings));
    }

    @Test
    void eventLogsAreCollectedWithTheMetersTimeStampsOnceEach() throws Exception {
        try (Gateway gateway = Gateway.start(dir, FleetConfig.builder().meters(1), CollectorSettings.defaults())) {
            SimulatedMeter meter = gateway.meter(0);
            TimeWindow outage = TimeWindow.of(meter.clock().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS),
                    Duration.ofMinutes(30));
            meter.setLink(LinkEmulation.NONE.withPoweredOff(List.of(outage)));
            Instant readFrom = meter.clock().minus(Duration.ofHours(24));
            assertTrue(gateway.run(Job.EVENTS, meter.serial()));

            List<MeterEvent> stored = gateway.drain().events();
            assertTrue(stored.contains(new MeterEvent(EventLog.POWER_FAILURE, 1, outage.from(), 1800)), "" + stored);
            for (org.medida.simulator.model.EventLog log : org.medida.simulator.model.EventLog.values()) {
                EventLog apiLog = EventLog.valueOf(log.name());
                Set<MeterEvent> expected = meter.model().events(log).stream()
                        .filter(e -> e.time().isAfter(readFrom.plusSeconds(5)))
                        .map(e -> new MeterEvent(apiLog, e.code(), e.time(), 0)).collect(Collectors.toSet());
                Set<MeterEvent> ofLog = stored.stream().filter(e -> e.log() == apiLog).collect(Collectors.toSet());
                assertTrue(ofLog.containsAll(expected), log + ": expected " + expected + ", stored " + ofLog);
                if (!ofLog.isEmpty()) {
                    Instant last = ofLog.stream().map(MeterEvent::timestamp).max(Instant::compareTo).orElseThrow();
                    assertEquals(last, gateway.mark(meter.serial(), apiLog.obis()).orElseThrow());
                }
            }
            assertTrue(stored.stream().anyMatch(e -> e.log() == EventLog.STANDARD && e.code() == 1
                    && e.timestamp().equals(outage.from())), "power down event at the outage");
            Map<EventLog, Instant> marks = stored.stream().collect(Collectors.toMap(MeterEvent::log,
                    MeterEvent::timestamp, (a, b) -> a.isAfter(b) ? a : b));

            assertTrue(gateway.run(Job.EVENTS, meter.serial()));
            List<MeterEvent> again = gateway.drain().events();
            assertTrue(again.stream().allMatch(e -> e.timestamp().isAfter(marks.get(e.log()))),
                    "only events after the mark: " + again);
            Map<MeterEvent, Long> counts = again.stream().collect(Collectors.groupingBy(Function.identity(),
                    Collectors.counting()));
            assertTrue(counts.values().stream().allMatch(c -> c == 1));
        }
    }
}

package org.medida.central.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.medida.central.SampleBatches;
import org.medida.edge.api.Batch;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.MeterEvent;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;

/** What the ingest stores becomes central events, and alarms where the rules say so. */
class IngestEventsTest extends EventsTestBase {

    @Test
    void meterLogEntriesBecomeEventsWithTheirIdisNamesAndRaiseAlarmsByRule() throws Exception {
        ingest(SampleBatches.events(1, "M1"));

        assertEquals(3, number("SELECT COUNT(*) FROM central_events WHERE source = 'meter_log' AND serial = 'M1' "
                + "AND gateway_id = 'gw-1'"));
        assertEquals("power down", text("SELECT name FROM central_events WHERE code = 1 AND detail = 'standard log'"));
        assertEquals("meter cover removed", text("SELECT name FROM central_events WHERE code = 44"));
        assertEquals("long power failure", text("SELECT name FROM central_events WHERE detail LIKE 'power_failure%'"));
        assertEquals("power_failure log, lasted 3725 s",
                text("SELECT detail FROM central_events WHERE name = 'long power failure'"));
        assertEquals(SampleBatches.MIDNIGHT.plusSeconds(7200).toEpochMilli(),
                number("SELECT at FROM central_events WHERE code = 44"), "the meter's own time stamp");
        // cover open is an alarm by default, a power failure is not
        assertEquals(1, number("SELECT COUNT(*) FROM alarms"));
        assertEquals("major", text("SELECT a.severity FROM alarms a JOIN central_events e ON e.event_id = a.event_id "
                + "WHERE e.code = 44 AND a.acknowledged_at IS NULL"));
    }

    @Test
    void aBatchSentAgainRecordsNoEventAndRaisesNoAlarmTwice() throws Exception {
        ingest(SampleBatches.events(1, "M1"));
        ingest(SampleBatches.events(1, "M1"));
        ingest(SampleBatches.events(2, "M1"));

        assertEquals(3, number("SELECT COUNT(*) FROM central_events"));
        assertEquals(1, number("SELECT COUNT(*) FROM alarms"));
    }

    @Test
    void aChangedRuleTakesEffectForTheNextEvents() throws Exception {
        try (Connection connection = database.connect()) {
            AlarmRules.replace(connection, List.of(new AlarmRule(EventSource.METER_LOG, AlarmRule.ANY_CODE, "minor", true),
                    new AlarmRule(EventSource.METER_LOG, 44, "major", false)));
        }
        ingest(SampleBatches.events(1, "M1"));

        assertEquals(2, number("SELECT COUNT(*) FROM alarms"), "both power failures by the wildcard");
        assertEquals(0, number("SELECT COUNT(*) FROM alarms a JOIN central_events e ON e.event_id = a.event_id "
                + "WHERE e.code = 44"), "the exact rule, disabled, wins over the wildcard");
        assertEquals(2, number("SELECT COUNT(*) FROM alarms WHERE severity = 'minor'"));
    }

    @Test
    void statusBitsThatMatterBecomeOneEventPerRunAcrossBatches() throws Exception {
        ingest(profile(1, "M1", SampleBatches.DAY, 1, 12, Set.of(), 0x80, Set.of(10, 11, 12)));
        ingest(profile(2, "M1", SampleBatches.DAY, 13, 30, Set.of(), 0x80, Set.of(13, 14)));
        ingest(profile(3, "M1", SampleBatches.DAY, 31, 40, Set.of(), 0x08, Set.of(31, 32)));
        ingest(profile(4, "M1", SampleBatches.DAY, 41, 42, Set.of(), 0x21, Set.of(41)));
        ingest(profile(2, "M1", SampleBatches.DAY, 13, 30, Set.of(), 0x80, Set.of(13, 14)));

        assertEquals(3, number("SELECT COUNT(*) FROM central_events WHERE source = 'status_word'"));
        assertEquals(SampleBatches.MIDNIGHT.plus(QUARTER.multipliedBy(10)).toEpochMilli(),
                number("SELECT at FROM central_events WHERE name = 'power down'"), "the run's first entry");
        assertEquals(0x20, number("SELECT code FROM central_events WHERE name = 'clock adjusted'"));
        assertEquals(1, number("SELECT COUNT(*) FROM central_events WHERE name = 'critical error'"));
        assertEquals(0, number("SELECT COUNT(*) FROM central_events WHERE name LIKE '%daylight%'"),
                "daylight saving is no event");
        assertEquals(1, number("SELECT COUNT(*) FROM alarms"), "a critical error is an alarm by default");
    }

    @Test
    void droppedDataAndReportedGapsAreEventsAndAlarms() throws Exception {
        ingest(SampleBatches.drops(1, "M1"));
        ingest(SampleBatches.gaps(2, "M1"));
        ingest(SampleBatches.drops(3, "M1"));

        assertEquals("data dropped by the gateway", text("SELECT name FROM central_events WHERE source = 'gateway' "
                + "AND code = 3 AND serial = 'M1'"));
        assertTrue(text("SELECT detail FROM central_events WHERE code = 3").startsWith("96 load-profile entries"));
        assertEquals("unrecoverable gap", text("SELECT name FROM central_events WHERE source = 'gap'"));
        assertEquals(2, number("SELECT COUNT(*) FROM central_events"));
        assertEquals(2, number("SELECT COUNT(*) FROM alarms"));
    }

    @Test
    void aGatewaysLastWillIsAnEventAndAnAlarmItsReturnAnEventOnly() throws Exception {
        Instant at = SampleBatches.MIDNIGHT;
        status(new GatewayStatus(true, 2, at, "edge 1.0"));
        status(new GatewayStatus(false, 2, at.plusSeconds(60), ""));
        status(new GatewayStatus(false, 2, at.plusSeconds(60), ""));
        status(new GatewayStatus(false, 1, at.plusSeconds(90), ""));

        assertEquals(2, number("SELECT COUNT(*) FROM central_events WHERE source = 'gateway' AND gateway_id = 'gw-1'"),
                "online, offline; the repeated and the stale last will add nothing");
        assertEquals("session 2, edge 1.0", text("SELECT detail FROM central_events WHERE name = 'gateway online'"));
        assertEquals(1, number("SELECT COUNT(*) FROM alarms a JOIN central_events e ON e.event_id = a.event_id "
                + "WHERE e.name = 'gateway offline'"));
        assertEquals(1, number("SELECT COUNT(*) FROM alarms"));
    }

    @Test
    void otherFeaturesRecordTheirFailuresOnceWithTheirAlarm() throws Exception {
        try (Connection connection = database.connect()) {
            var event = EventType.METER_NOT_RESPONDING.event("M9", GATEWAY, clock.instant(), "order abc",
                    "work_order:abc");
            assertTrue(CentralEvents.record(connection, event, clock.instant()));
            assertFalse(CentralEvents.record(connection, event, clock.instant()));
        }
        assertEquals("work_order", text("SELECT source FROM central_events WHERE name = 'meter not responding'"));
        assertEquals(1, number("SELECT COUNT(*) FROM alarms WHERE severity = 'minor'"));
    }

    @Test
    void anEventsBatchOfAnUnknownCodeIsNamedByItsCode() throws Exception {
        ingest(new Batch.Events(1, "M1", SampleBatches.DAY, List.of(new MeterEvent(EventLog.STANDARD, 231,
                SampleBatches.MIDNIGHT.plus(Duration.ofHours(3)), 0))));

        assertEquals("IDIS event 231", text("SELECT name FROM central_events"));
    }

    private void status(GatewayStatus status) {
        handler.handle(Topics.status(GATEWAY), Payloads.encodeStatus(status));
    }
}

package org.medida.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medida.simulator.cosem.CosemValues;
import org.medida.simulator.model.BillingEntry;
import org.medida.simulator.model.EventCodes;
import org.medida.simulator.model.EventLog;
import org.medida.simulator.model.LoggedEvent;
import org.medida.simulator.model.MeterModel;
import org.medida.simulator.model.ProfileEntry;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.SelectiveAccessDescription;
import org.openmuc.jdlms.datatypes.DataObject;

/** Profiles and logs read with jDLMS's client, checked against the meter's deterministic model. */
class ProfileTest {

    private static final ObisCode LOAD_PROFILE = new ObisCode("1.0.99.1.0.255");
    private static final Instant EPOCH = Instant.parse("2026-03-04T10:07:00Z");
    private static final TimeWindow OUTAGE = TimeWindow.of(EPOCH.minus(Duration.ofHours(5)), Duration.ofMinutes(40));

    private static MeterFleet fleet;
    private static SimulatedMeter meter;
    private static SimulatedMeter entryOnlyMeter;
    private static MeterFleet entryOnlyFleet;

    @BeforeAll
    static void start() throws Exception {
        FleetConfig.Builder config = FleetConfig.builder().meters(1).basePort(0).epoch(EPOCH)
                .link(LinkEmulation.NONE.withPoweredOff(List.of(OUTAGE)));
        fleet = MeterFleet.start(config.build());
        meter = fleet.meters().get(0);
        entryOnlyFleet = MeterFleet.start(config.rangeAccess(false).serialPrefix("ENT").build());
        entryOnlyMeter = entryOnlyFleet.meters().get(0);
    }

    @AfterAll
    static void stop() {
        fleet.close();
        entryOnlyFleet.close();
    }

    @Test
    void byRangeReturnsExactlyTheEntriesOfTheInclusiveRange() throws Exception {
        List<ProfileEntry> expected = meter.model().loadProfile();
        ProfileEntry from = expected.get(expected.size() - 8);
        ProfileEntry to = expected.get(expected.size() - 5);
        try (DlmsConnection c = Clients.publicClient(meter)) {
            List<DataObject> rows = rowsOf(c.get(byRange(LOAD_PROFILE, from.time(), to.time(), List.of())));
            assertEquals(expected.subList(expected.size() - 8, expected.size() - 4), rows.stream().map(ProfileTest::entry).toList());
        }
    }

    @Test
    void byRangeCanSelectColumns() throws Exception {
        List<ProfileEntry> expected = meter.model().loadProfile();
        ProfileEntry last = expected.get(expected.size() - 1);
        DataObject aPlusColumn = DataObject.newStructureData(CosemValues.u16(3), CosemValues.obis("1.0.1.8.0.255"),
                DataObject.newInteger8Data((byte) 2), CosemValues.u16(0));
        try (DlmsConnection c = Clients.publicClient(meter)) {
            List<DataObject> rows = rowsOf(c.get(byRange(LOAD_PROFILE, last.time(), last.time(), List.of(aPlusColumn))));
            List<DataObject> only = rows.get(0).getValue();
            assertEquals(1, only.size());
            assertEquals(last.importWh(), CosemValues.longOf(only.get(0)));
        }
    }

    @Test
    void byEntryIsOneBasedAndZeroMeansLast() throws Exception {
        List<ProfileEntry> expected = meter.model().loadProfile();
        try (DlmsConnection c = Clients.publicClient(meter)) {
            assertEquals(expected.subList(0, 3), rowsOf(c.get(byEntry(LOAD_PROFILE, 1, 3))).stream().map(ProfileTest::entry).toList());
            List<DataObject> tail = rowsOf(c.get(byEntry(LOAD_PROFILE, expected.size() - 1, 0)));
            assertEquals(expected.subList(expected.size() - 2, expected.size()), tail.stream().map(ProfileTest::entry).toList());
        }
    }

    @Test
    void bufferIsBoundedAndFullAndReadableWhole() throws Exception {
        try (DlmsConnection c = Clients.publicClient(meter)) {
            long entriesInUse = CosemValues.longOf(c.get(new AttributeAddress(7, LOAD_PROFILE, 7)).getResultData());
            long capacity = CosemValues.longOf(c.get(new AttributeAddress(7, LOAD_PROFILE, 8)).getResultData());
            assertEquals(960, capacity);
            assertEquals(capacity, entriesInUse);
            assertEquals(capacity, rowsOf(c.get(new AttributeAddress(7, LOAD_PROFILE, 2))).size());
            assertEquals(900, CosemValues.longOf(c.get(new AttributeAddress(7, LOAD_PROFILE, 4)).getResultData()));
        }
    }

    @Test
    void entriesAreTheRegistersAtCaptureTimeAndPowerFailuresLeaveGaps() {
        MeterModel model = meter.model();
        List<ProfileEntry> entries = model.loadProfile();
        for (ProfileEntry e : entries) {
            assertEquals(model.totalsAt(e.time()).importWh(), e.importWh());
            assertFalse(OUTAGE.contains(e.time()), "no capture while powered off: " + e.time());
        }
        ProfileEntry afterOutage = entries.stream().filter(e -> !e.time().isBefore(OUTAGE.to())).findFirst().orElseThrow();
        assertEquals(MeterModel.STATUS_POWER_DOWN, afterOutage.status() & MeterModel.STATUS_POWER_DOWN);
        assertTrue(model.totals().importWh() >= entries.get(entries.size() - 1).importWh());
        for (int i = 1; i < entries.size(); i++) {
            assertTrue(entries.get(i).importWh() >= entries.get(i - 1).importWh(), "cumulative registers never fall");
        }
    }

    @Test
    void consumptionLooksLikeAHousehold() {
        MeterModel model = meter.model();
        Instant day = Instant.parse("2026-03-03T00:00:00Z");
        long night = model.curve().importW(day.plus(Duration.ofHours(3)));
        long evening = model.curve().importW(day.plus(Duration.ofHours(19).plusMinutes(30)));
        assertTrue(evening > 2 * night, "evening " + evening + " W vs night " + night + " W");
        SimulatedMeter other = entryOnlyMeter;
        assertNotEquals(model.totals().importWh(), other.model().totals().importWh(), "meters differ by serial");
    }

    @Test
    void dailyBillingRowAtMidnightIsTheClosureOfThePreviousDay() throws Exception {
        List<BillingEntry> expected = meter.model().dailyBilling();
        BillingEntry last = expected.get(expected.size() - 1);
        assertEquals(Instant.parse("2026-03-04T00:00:00Z"), last.time());
        assertEquals(meter.model().totalsAt(last.time()), last.totals());
        try (DlmsConnection c = Clients.publicClient(meter)) {
            List<DataObject> rows = rowsOf(c.get(byEntry(new ObisCode("0.0.98.2.0.255"), expected.size(), 0)));
            List<DataObject> row = rows.get(0).getValue();
            assertEquals(last.time(), CosemValues.instantOf(row.get(0)));
            assertEquals(last.totals().importWh(), CosemValues.longOf(row.get(2)));
            assertEquals(last.totals().tariffWh(1), CosemValues.longOf(row.get(3)));
            assertEquals(last.totals().exportWh(), CosemValues.longOf(row.get(6)));
        }
    }

    @Test
    void powerFailureShowsInStandardAndPowerFailureLogs() throws Exception {
        try (DlmsConnection c = Clients.publicClient(meter)) {
            List<DataObject> standard = rowsOf(c.get(byRange(new ObisCode(EventLog.STANDARD.obis()),
                    OUTAGE.from(), OUTAGE.to(), List.of())));
            assertEquals(List.of(new LoggedEvent(EventLog.STANDARD, OUTAGE.from(), EventCodes.POWER_DOWN),
                    new LoggedEvent(EventLog.STANDARD, OUTAGE.to(), EventCodes.POWER_UP)),
                    standard.stream().map(r -> event(EventLog.STANDARD, r)).toList());
            List<DataObject> failures = rowsOf(c.get(new AttributeAddress(7, new ObisCode("1.0.99.97.0.255"), 2)));
            List<DataObject> failure = failures.get(failures.size() - 1).getValue();
            assertEquals(OUTAGE.from(), CosemValues.instantOf(failure.get(0)));
            assertEquals(OUTAGE.length().toSeconds(), CosemValues.longOf(failure.get(1)));
        }
    }

    @Test
    void eventLogsMatchTheModel() throws Exception {
        try (DlmsConnection c = Clients.publicClient(meter)) {
            for (EventLog log : EventLog.values()) {
                List<DataObject> rows = rowsOf(c.get(new AttributeAddress(7, new ObisCode(log.obis()), 2)));
                assertEquals(meter.model().events(log), rows.stream().map(r -> event(log, r)).toList(), log.name());
            }
            assertFalse(meter.model().events(EventLog.POWER_QUALITY).isEmpty(), "40+ days of history hold voltage sags");
        }
    }

    @Test
    void meterWithoutRangeAccessRefusesSelectorOneButServesByEntry() throws Exception {
        List<ProfileEntry> expected = entryOnlyMeter.model().loadProfile();
        try (DlmsConnection c = Clients.publicClient(entryOnlyMeter)) {
            GetResult byRange = c.get(byRange(LOAD_PROFILE, expected.get(0).time(), expected.get(3).time(), List.of()));
            assertEquals(AccessResultCode.SCOPE_OF_ACCESS_VIOLATED, byRange.getResultCode());
            assertEquals(expected.subList(0, 2), rowsOf(c.get(byEntry(LOAD_PROFILE, 1, 2))).stream().map(ProfileTest::entry).toList());
        }
    }

    static AttributeAddress byRange(ObisCode profile, Instant from, Instant to, List<DataObject> columns) {
        DataObject clock = DataObject.newStructureData(CosemValues.u16(8), CosemValues.obis("0.0.1.0.0.255"),
                DataObject.newInteger8Data((byte) 2), CosemValues.u16(0));
        return new AttributeAddress(7, profile, 2, new SelectiveAccessDescription(1, DataObject.newStructureData(clock,
                CosemValues.dateTime(from), CosemValues.dateTime(to), DataObject.newArrayData(columns))));
    }

    static AttributeAddress byEntry(ObisCode profile, long fromEntry, long toEntry) {
        return new AttributeAddress(7, profile, 2, new SelectiveAccessDescription(2, DataObject.newStructureData(
                CosemValues.u32(fromEntry), CosemValues.u32(toEntry), CosemValues.u16(1), CosemValues.u16(0))));
    }

    static List<DataObject> rowsOf(GetResult result) {
        assertEquals(AccessResultCode.SUCCESS, result.getResultCode());
        return result.getResultData().getValue();
    }

    private static ProfileEntry entry(DataObject row) {
        List<DataObject> v = row.getValue();
        return new ProfileEntry(CosemValues.instantOf(v.get(0)), (int) CosemValues.longOf(v.get(1)),
                CosemValues.longOf(v.get(2)), CosemValues.longOf(v.get(3)));
    }

    private static LoggedEvent event(EventLog log, DataObject row) {
        List<DataObject> v = row.getValue();
        return new LoggedEvent(log, CosemValues.instantOf(v.get(0)), (int) CosemValues.longOf(v.get(1)));
    }
}

package org.medida.simulator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator on its own, with a wall clock the test moves. */
class MeterModelTest {

    private static final Instant EPOCH = Instant.parse("2026-01-15T08:00:00Z");
    private static final Duration QUARTER = Duration.ofMinutes(15);

    private final WallClock wall = new WallClock();

    @Test
    void sameSerialSameHistoryOtherSerialOtherHistory() {
        MeterModel a = model("SIM000001", 1);
        MeterModel b = model("SIM000001", 1);
        MeterModel c = model("SIM000002", 1);
        assertEquals(a.loadProfile(), b.loadProfile());
        assertEquals(a.events(EventLog.POWER_QUALITY), b.events(EventLog.POWER_QUALITY));
        assertNotEquals(a.loadProfile(), c.loadProfile());
    }

    @Test
    void consecutiveEntriesDifferByTheIntervalEnergy() {
        MeterModel m = model("SIM000003", 1);
        List<ProfileEntry> entries = m.loadProfile();
        assertEquals(960, entries.size());
        for (int i = 1; i < entries.size(); i++) {
            Instant start = entries.get(i - 1).time();
            assertEquals(m.curve().importW(start) * 900 / 3600, entries.get(i).importWh() - entries.get(i - 1).importWh());
            assertEquals(m.curve().exportW(start) * 900 / 3600, entries.get(i).exportWh() - entries.get(i - 1).exportWh());
        }
        EnergyTotals t = m.totals();
        long tariffs = 0;
        for (int tariff = 1; tariff <= EnergyTotals.TARIFFS; tariff++) {
            tariffs += t.tariffWh(tariff);
        }
        assertEquals(t.importWh(), tariffs, "tariff registers add up to the total");
    }

    @Test
    void acceleratedClockAndOpenRelay() {
        MeterModel m = model("SIM000004", 900);
        wall.advance(Duration.ofSeconds(1));
        assertEquals(EPOCH.plus(QUARTER), m.now(), "one wall second is a meter quarter hour");
        assertTrue(m.remoteDisconnect());
        EnergyTotals open = m.totals();
        wall.advance(Duration.ofSeconds(8));
        assertEquals(open, m.totals(), "two meter hours with the relay open");
        assertEquals(0, m.instantaneousPowerW());
        assertTrue(m.remoteReconnect());
        wall.advance(Duration.ofSeconds(4));
        EnergyTotals closed = m.totals();
        assertTrue(closed.importWh() + closed.exportWh() > open.importWh() + open.exportWh(), "energy flows again");
        assertEquals(List.of(EventCodes.REMOTE_DISCONNECT, EventCodes.REMOTE_RECONNECT),
                m.events(EventLog.DISCONNECTOR).stream().map(LoggedEvent::code).toList());
    }

    @Test
    void limiterTripsAtTheFirstIntervalAboveTheThreshold() {
        MeterModel m = model("SIM000005", 900);
        m.setLimiterThresholdW(1);
        wall.advance(Duration.ofSeconds(2));
        assertFalse(m.relayClosed());
        assertEquals(SupplyState.READY_FOR_RECONNECTION, m.supplyState());
        LoggedEvent trip = m.events(EventLog.DISCONNECTOR).get(1);
        assertEquals(EventCodes.LIMITER_THRESHOLD_EXCEEDED, trip.code());
        assertEquals(EPOCH.plus(QUARTER), trip.time(), "the next interval start after the threshold was set");
    }

    @Test
    void billingRowsAreMidnightTotals() {
        MeterModel m = model("SIM000006", 1);
        List<BillingEntry> rows = m.dailyBilling();
        assertEquals(MeterModel.BILLING_ENTRIES, rows.size());
        for (BillingEntry row : rows) {
            assertEquals(0, row.time().atZone(ZoneOffset.UTC).getHour());
            assertEquals(m.totalsAt(row.time()), row.totals());
        }
    }

    private MeterModel model(String serial, double acceleration) {
        return new MeterModel(serial, new MeterClock(wall, wall.instant(), EPOCH, acceleration, 0), QUARTER, 960);
    }

    /** Wall time that only moves when the test says so. */
    private static final class WallClock extends Clock {
        private Instant now = Instant.parse("2030-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

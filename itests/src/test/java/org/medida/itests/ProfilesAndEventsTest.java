package org.medida.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.Test;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;

/** Load profiles by range and by entry, and event logs. */
public class ProfilesAndEventsTest extends DriverInFelixTest {

    private static final String LOAD_PROFILE = "1.0.99.1.0.255";
    private static final Duration QUARTER_HOUR = Duration.ofMinutes(15);

    @Test
    public void readsTheLoadProfileByRange() throws Exception {
        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant from = to.minus(Duration.ofHours(6));

        IntervalBlock block = driver.read(TestMeter.WRAPPER.lowLevelSecurity(),
                session -> session.readProfile(LOAD_PROFILE, from, to));

        assertEquals(TestMeter.WRAPPER.serial(), block.serial());
        assertEquals(QUARTER_HOUR, block.capturePeriod());
        assertFalse(block.channels().isEmpty());
        assertQuarterHoursCovering(from, to, block.intervals());
        assertCumulative(block.intervals());
    }

    /** The by-entry meter holds the same data as the wrapper meter: both reads must give the same intervals. */
    @Test
    public void readsByEntryWhatAnotherMeterGivesByRange() throws Exception {
        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        Instant from = to.minus(Duration.ofHours(3));

        IntervalBlock byRange = driver.read(TestMeter.WRAPPER.lowLevelSecurity(),
                session -> session.readProfile(LOAD_PROFILE, from, to));
        IntervalBlock byEntry = driver.read(TestMeter.BY_ENTRY.lowLevelSecurity(),
                session -> session.readProfile(LOAD_PROFILE, from, to));

        assertQuarterHoursCovering(from, to, byEntry.intervals());
        assertEquals(byRange.channels(), byEntry.channels());
        assertEquals(byRange.intervals(), byEntry.intervals());
    }

    @Test
    public void readsEventLogsInTheirTimeWindow() throws Exception {
        Instant to = Instant.now();
        Instant from = to.minus(Duration.ofDays(10));

        int eventsInAllLogs = 0;
        for (EventLog log : EventLog.values()) {
            List<MeterEvent> events = driver.read(TestMeter.HDLC.lowLevelSecurity(),
                    session -> session.readEvents(log, from, to));
            for (MeterEvent event : events) {
                assertEquals(log, event.log());
                assertTrue(event + " outside the window", !event.timestamp().isBefore(from)
                        && !event.timestamp().isAfter(to));
                assertTrue("IDIS event codes are 1..255: " + event, event.code() >= 1 && event.code() <= 255);
            }
            assertOldestFirst(events);
            eventsInAllLogs += events.size();
        }
        // ten days of a simulated household always hold some fraud or power-quality events
        assertTrue(eventsInAllLogs > 0);
    }

    private static void assertQuarterHoursCovering(Instant from, Instant to, List<Interval> intervals) {
        assertFalse("no intervals in " + from + " .. " + to, intervals.isEmpty());
        for (int i = 0; i < intervals.size(); i++) {
            Instant end = intervals.get(i).end();
            assertTrue(end + " outside " + from + " .. " + to, !end.isBefore(from) && !end.isAfter(to));
            if (i > 0) {
                assertEquals(QUARTER_HOUR, Duration.between(intervals.get(i - 1).end(), end));
            }
        }
    }

    /** Profile values are cumulative registers: they never go down. */
    private static void assertCumulative(List<Interval> intervals) {
        for (int i = 1; i < intervals.size(); i++) {
            List<BigDecimal> before = intervals.get(i - 1).values();
            List<BigDecimal> after = intervals.get(i).values();
            for (int channel = 0; channel < after.size(); channel++) {
                assertTrue("channel " + channel + " went down at " + intervals.get(i).end(),
                        after.get(channel).compareTo(before.get(channel)) >= 0);
            }
        }
    }

    private static void assertOldestFirst(List<MeterEvent> events) {
        for (int i = 1; i < events.size(); i++) {
            assertFalse(events.get(i).timestamp().isBefore(events.get(i - 1).timestamp()));
        }
    }
}

package org.medida.edge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.AppendResult;
import org.medida.edge.api.Batch;
import org.medida.edge.api.BatchLimits;
import org.medida.edge.api.DataClass;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.ProfileGap;
import org.medida.edge.api.RegisterReading;

class AppendTest {

    @TempDir
    Path directory;
    private SqliteReadingStore store;

    @BeforeEach
    void open() {
        store = SqliteReadingStore.open(new StoreSettings(directory.resolve("store.db"), 64L * 1024 * 1024));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void entriesTheMeterReturnsAgainAreStoredOnce() {
        assertEquals(AppendResult.stored(96, 0), store.appendIntervals(Readings.day("M1", 0)));
        // the next read overlaps: the collector asked from its high-water mark minus a margin
        IntervalBlock overlapping = Readings.block("M1", Readings.DAY_ONE.plus(Readings.PERIOD.multipliedBy(90)), 10);
        assertEquals(AppendResult.stored(4, 6), store.appendIntervals(overlapping));
        assertEquals(100L, store.backlog().entries().get(DataClass.INTERVALS));
    }

    @Test
    void valuesComeBackExactlyAsTheMeterScaledThem() {
        Interval interval = new Interval(Readings.DAY_ONE, 0x80,
                List.of(new BigDecimal("12345.678"), new BigDecimal("-0.50")));
        store.appendIntervals(new IntervalBlock("M1", Readings.LOAD_PROFILE, Readings.PERIOD, Readings.CHANNELS,
                List.of(interval)));

        Batch.Intervals batch = (Batch.Intervals) store.nextBatch(new BatchLimits(100)).orElseThrow();

        IntervalBlock block = batch.blocks().get(0);
        assertEquals(List.of(interval), block.intervals());
        assertEquals(Readings.CHANNELS, block.channels());
        assertEquals(Readings.PERIOD, block.capturePeriod());
    }

    @Test
    void registersAreKeyedByCaptureTimeOrElseReadTime() {
        Instant readAt = Readings.DAY_ONE.plusSeconds(120);
        RegisterReading energy = new RegisterReading("1.0.1.8.0.255", new BigDecimal("1234.5"), "kWh", null, readAt);
        RegisterReading demand = new RegisterReading("1.0.1.6.0.255", new BigDecimal("3.2"), "kW",
                Readings.DAY_ONE.plusSeconds(60), readAt);
        assertEquals(AppendResult.stored(2, 0), store.appendRegisters("M1", List.of(energy, demand)));
        // the same maximum demand read again later is the same value; the energy read later is a new one
        RegisterReading demandAgain = new RegisterReading("1.0.1.6.0.255", new BigDecimal("3.2"), "kW",
                demand.captureTime(), readAt.plusSeconds(600));
        RegisterReading energyLater = new RegisterReading("1.0.1.8.0.255", new BigDecimal("1234.9"), "kWh", null,
                readAt.plusSeconds(600));
        assertEquals(AppendResult.stored(1, 1), store.appendRegisters("M1", List.of(demandAgain, energyLater)));

        Batch.Registers batch = (Batch.Registers) store.nextBatch(new BatchLimits(100)).orElseThrow();
        assertEquals(List.of(demand, energy, energyLater), batch.readings());
        assertNull(batch.readings().get(1).captureTime());
    }

    @Test
    void eventsAreKeyedByLogTimeAndCode() {
        MeterEvent powerDown = new MeterEvent(EventLog.STANDARD, 1, Readings.DAY_ONE, 0);
        MeterEvent cover = new MeterEvent(EventLog.FRAUD, 40, Readings.DAY_ONE, 0);
        MeterEvent outage = new MeterEvent(EventLog.POWER_FAILURE, 1, Readings.DAY_ONE, 7200);
        assertEquals(AppendResult.stored(3, 0), store.appendEvents("M1", List.of(powerDown, cover, outage)));
        assertEquals(AppendResult.stored(0, 1), store.appendEvents("M1", List.of(cover)));

        Batch.Events batch = (Batch.Events) store.nextBatch(new BatchLimits(100)).orElseThrow();
        assertEquals(3, batch.events().size());
        assertTrue(batch.events().containsAll(List.of(powerDown, cover, outage)));
    }

    @Test
    void gapsAreRecordedOnce() {
        ProfileGap gap = new ProfileGap("M1", Readings.LOAD_PROFILE, Readings.DAY_ONE,
                Readings.DAY_ONE.plusSeconds(7200));
        assertEquals(AppendResult.stored(1, 0), store.appendGap(gap));
        assertEquals(AppendResult.stored(0, 1), store.appendGap(gap));

        assertEquals(List.of(gap), ((Batch.Gaps) store.nextBatch(new BatchLimits(100)).orElseThrow()).gaps());
    }

    @Test
    void anEmptyBlockStoresNothing() {
        assertEquals(AppendResult.stored(0, 0), store.appendIntervals(Readings.block("M1", Readings.DAY_ONE, 0)));
        assertEquals(AppendResult.stored(0, 0), store.appendEvents("M1", List.of()));
        assertTrue(store.nextBatch(new BatchLimits(100)).isEmpty());
    }

    @Test
    void invalidInputIsRejectedAndStoresNothing() {
        assertThrows(NullPointerException.class, () -> store.appendIntervals(null));
        IntervalBlock day = Readings.day("M1", 0);
        assertMessage("meter serial missing", () -> store.appendIntervals(new IntervalBlock(" ", day.profileObis(),
                day.capturePeriod(), day.channels(), day.intervals())));
        assertMessage("meter serial missing", () -> store.appendRegisters(null, List.of()));
        assertMessage("meter serial missing", () -> store.appendEvents("", List.of()));
        assertMessage("profile OBIS missing", () -> store.appendIntervals(new IntervalBlock("M1", null,
                day.capturePeriod(), day.channels(), day.intervals())));
        assertMessage("an interval ending 2026-11-01T00:00:00Z has 1 values for 2 channels",
                () -> store.appendIntervals(new IntervalBlock("M1", Readings.LOAD_PROFILE, Readings.PERIOD,
                        Readings.CHANNELS, List.of(new Interval(Readings.DAY_ONE, 0, List.of(BigDecimal.ONE))))));
        // a value that no register holds fails the whole block, also the valid entry before it
        IntervalBlock huge = new IntervalBlock("M1", Readings.LOAD_PROFILE, Readings.PERIOD, Readings.CHANNELS,
                List.of(day.intervals().get(0), new Interval(Readings.DAY_ONE.plusSeconds(900), 0,
                        List.of(BigDecimal.ONE, new BigDecimal("1e30").setScale(0)))));
        assertThrows(IllegalArgumentException.class, () -> store.appendIntervals(huge));

        assertEquals(0L, store.backlog().entries().get(DataClass.INTERVALS));
        assertEquals(AppendResult.stored(96, 0), store.appendIntervals(day));
    }

    private static void assertMessage(String message, org.junit.jupiter.api.function.Executable append) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, append).getMessage());
    }
}

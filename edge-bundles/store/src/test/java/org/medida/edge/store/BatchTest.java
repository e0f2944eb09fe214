package org.medida.edge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.Batch;
import org.medida.edge.api.BatchLimits;
import org.medida.edge.api.DataClass;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.RegisterReading;

class BatchTest {

    private static final BatchLimits LIMITS = new BatchLimits(1000);
    private static final LocalDate DAY_ONE = LocalDate.of(2026, 11, 1);

    @TempDir
    Path directory;

    private SqliteReadingStore open() {
        return SqliteReadingStore.open(new StoreSettings(directory.resolve("store.db"), 64L * 1024 * 1024));
    }

    @Test
    void batchesAreOneMeterDayAndClassPriorityClassesFirstThenOldestFirst() {
        try (SqliteReadingStore store = open()) {
            // a backlog of two days of profiles for two meters, then fresh billing and an event arrive
            for (int day = 0; day < 2; day++) {
                store.appendIntervals(Readings.day("M2", day));
                store.appendIntervals(Readings.day("M1", day));
            }
            store.appendRegisters("M1", List.of(new RegisterReading("1.0.1.8.0.255", BigDecimal.TEN, "kWh", null,
                    Readings.DAY_ONE.plus(Duration.ofDays(2)))));
            store.appendEvents("M2", List.of(new MeterEvent(EventLog.FRAUD, 40,
                    Readings.DAY_ONE.plus(Duration.ofDays(2)), 0)));

            List<String> order = new ArrayList<>();
            for (Optional<Batch> batch = store.nextBatch(LIMITS); batch.isPresent(); batch = store.nextBatch(LIMITS)) {
                order.add(batch.get().dataClass() + " " + batch.get().serial() + " " + batch.get().day() + " "
                        + batch.get().size());
            }

            assertEquals(List.of("EVENTS M2 2026-11-03 1", "REGISTERS M1 2026-11-03 1",
                    "INTERVALS M2 2026-11-01 96", "INTERVALS M1 2026-11-01 96",
                    "INTERVALS M2 2026-11-02 96", "INTERVALS M1 2026-11-02 96"), order);
        }
    }

    @Test
    void aDayBiggerThanTheLimitGoesOutOldestEntriesFirst() {
        try (SqliteReadingStore store = open()) {
            store.appendIntervals(Readings.day("M1", 0));

            Batch.Intervals first = (Batch.Intervals) store.nextBatch(new BatchLimits(60)).orElseThrow();
            Batch.Intervals rest = (Batch.Intervals) store.nextBatch(new BatchLimits(60)).orElseThrow();

            assertEquals(60, first.size());
            assertEquals(36, rest.size());
            assertEquals(Readings.DAY_ONE, first.blocks().get(0).intervals().get(0).end());
            assertTrue(first.blocks().get(0).intervals().get(59).end()
                    .isBefore(rest.blocks().get(0).intervals().get(0).end()));
        }
    }

    @Test
    void aBatchComesAgainUnderTheSameIdAfterARestartUntilConfirmed() {
        Batch first;
        try (SqliteReadingStore store = open()) {
            store.appendIntervals(Readings.day("M1", 0));
            first = store.nextBatch(LIMITS).orElseThrow();
            assertTrue(store.nextBatch(LIMITS).isEmpty(), "a batch that is out is not handed out twice");
            // collected after the batch was formed: not part of it, even on the same day
            store.appendIntervals(Readings.block("M1", Readings.DAY_ONE.plus(Duration.ofDays(1)).minusSeconds(1), 1));
        }
        try (SqliteReadingStore store = open()) {
            assertEquals(first, store.nextBatch(LIMITS).orElseThrow());
            Batch late = store.nextBatch(LIMITS).orElseThrow();
            assertEquals(1, late.size());
            assertEquals(DAY_ONE, late.day());
            assertNotEquals(first.id(), late.id());
        }
    }

    @Test
    void aReleasedBatchComesAgainUnderTheSameId() {
        try (SqliteReadingStore store = open()) {
            store.appendIntervals(Readings.day("M1", 0));
            Batch batch = store.nextBatch(LIMITS).orElseThrow();

            assertTrue(store.release(batch.id()));
            assertFalse(store.release(batch.id()), "released already");

            assertEquals(batch, store.nextBatch(LIMITS).orElseThrow());
        }
    }

    @Test
    void confirmDeletesExactlyThatBatch() {
        try (SqliteReadingStore store = open()) {
            store.appendIntervals(Readings.day("M1", 0));
            store.appendIntervals(Readings.day("M2", 0));
            store.appendIntervals(Readings.day("M1", 1));
            Batch confirmed = store.nextBatch(LIMITS).orElseThrow();
            Batch outstanding = store.nextBatch(LIMITS).orElseThrow();

            assertTrue(store.confirm(confirmed.id()));
            assertFalse(store.confirm(confirmed.id()), "a repeated acknowledgement changes nothing");

            assertEquals(2 * 96L, store.backlog().entries().get(DataClass.INTERVALS));
            assertEquals(1, store.backlog().openBatches());
            // what was confirmed is gone for good: appended again, the same entries are new data
            assertEquals(96, store.appendIntervals(Readings.day(confirmed.serial(), 0)).added());
            assertEquals(96, store.appendIntervals(Readings.day(outstanding.serial(), 0)).alreadyStored());
        }
    }

    @Test
    void batchIdsAreNeverReused() {
        long confirmedId;
        try (SqliteReadingStore store = open()) {
            store.appendIntervals(Readings.day("M1", 0));
            confirmedId = store.nextBatch(LIMITS).orElseThrow().id();
            store.confirm(confirmedId);
        }
        try (SqliteReadingStore store = open()) {
            store.appendIntervals(Readings.day("M1", 1));
            assertTrue(store.nextBatch(LIMITS).orElseThrow().id() > confirmedId);
        }
    }
}

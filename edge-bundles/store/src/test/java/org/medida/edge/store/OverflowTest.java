package org.medida.edge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.AppendResult;
import org.medida.edge.api.Backlog;
import org.medida.edge.api.Batch;
import org.medida.edge.api.BatchLimits;
import org.medida.edge.api.DataClass;
import org.medida.edge.api.DataDropped;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.MeterEvent;

class OverflowTest {

    private static final long BUDGET = 192 * 1024;
    private static final BatchLimits LIMITS = new BatchLimits(10_000);
    private static final List<String> METERS = List.of("M1", "M2", "M3", "M4");
    private static final int DAYS = 30;

    @TempDir
    Path directory;

    @Test
    void theOldestIntervalDataIsDroppedAndReportedEventsAreKept() {
        try (SqliteReadingStore store = SqliteReadingStore.open(
                new StoreSettings(directory.resolve("store.db"), BUDGET))) {
            List<MeterEvent> events = new ArrayList<>();
            for (int minute = 0; minute < 30; minute++) {
                events.add(new MeterEvent(EventLog.STANDARD, 1, Readings.DAY_ONE.plusSeconds(60L * minute), 0));
            }
            store.appendEvents("M1", events);
            store.appendIntervals(Readings.day("M1", 0));
            Batch inFlight = store.nextBatch(LIMITS).orElseThrow(); // the events
            Batch oldestIntervals = store.nextBatch(LIMITS).orElseThrow();
            for (int day = 1; day < DAYS; day++) {
                for (String meter : METERS) {
                    assertEquals(AppendResult.Outcome.STORED, store.appendIntervals(Readings.day(meter, day)).outcome());
                }
            }

            Backlog backlog = store.backlog();
            assertTrue(backlog.usedBytes() <= BUDGET + 8 * 1024, "used " + backlog.usedBytes());
            assertTrue(backlog.entries().get(DataClass.DROPS) > 0, "nothing was dropped");
            assertEquals(30L, backlog.entries().get(DataClass.EVENTS));

            // a formed batch is never dropped from: released, it comes again as it was
            store.release(inFlight.id());
            store.release(oldestIntervals.id());
            assertEquals(inFlight, store.nextBatch(LIMITS).orElseThrow());
            assertEquals(oldestIntervals, store.nextBatch(LIMITS).orElseThrow());

            Map<String, List<DataDropped>> drops = new HashMap<>();
            Map<String, Instant> firstKept = new HashMap<>();
            long dropped = 0;
            long kept = 0;
            for (Optional<Batch> batch = store.nextBatch(LIMITS); batch.isPresent(); batch = store.nextBatch(LIMITS)) {
                if (batch.get() instanceof Batch.Drops report) {
                    for (DataDropped drop : report.drops()) {
                        drops.computeIfAbsent(drop.serial(), meter -> new ArrayList<>()).add(drop);
                        dropped += drop.entries();
                    }
                } else if (batch.get() instanceof Batch.Intervals intervals) {
                    kept += intervals.size();
                    Instant first = intervals.blocks().get(0).intervals().get(0).end();
                    firstKept.merge(intervals.serial(), first, (a, b) -> a.isBefore(b) ? a : b);
                }
            }
            assertEquals((DAYS - 1) * METERS.size() * 96L, dropped + kept, "every entry is kept or counted");
            for (Map.Entry<String, List<DataDropped>> meter : drops.entrySet()) {
                for (DataDropped drop : meter.getValue()) {
                    assertEquals(96, drop.entries(), "a whole day goes at once");
                    assertTrue(drop.to().isBefore(firstKept.get(meter.getKey())), "oldest first: " + drop);
                }
            }
        }
    }

    @Test
    void whenOnlyNeverDroppedDataIsLeftIntervalAppendsAreRefusedAndEventsStillAccepted() {
        try (SqliteReadingStore store = SqliteReadingStore.open(
                new StoreSettings(directory.resolve("store.db"), 64 * 1024))) {
            List<MeterEvent> events = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                events.add(new MeterEvent(EventLog.STANDARD, 40 + i % 20, Readings.DAY_ONE.plusSeconds(i), 0));
            }
            assertEquals(5_000, store.appendEvents("M1", events).added());
            assertTrue(store.backlog().usedBytes() > 64 * 1024);

            assertEquals(AppendResult.refused(), store.appendIntervals(Readings.day("M1", 0)));
            MeterEvent cover = new MeterEvent(EventLog.FRAUD, 40, Readings.DAY_ONE.plusSeconds(10_000), 0);
            assertEquals(AppendResult.stored(1, 0), store.appendEvents("M1", List.of(cover)));
            assertEquals(0L, store.backlog().entries().get(DataClass.INTERVALS));

            // once central took the events, interval data is accepted again
            for (Optional<Batch> batch = store.nextBatch(LIMITS); batch.isPresent(); batch = store.nextBatch(LIMITS)) {
                store.confirm(batch.get().id());
            }
            assertEquals(AppendResult.stored(96, 0), store.appendIntervals(Readings.day("M1", 0)));
        }
    }
}

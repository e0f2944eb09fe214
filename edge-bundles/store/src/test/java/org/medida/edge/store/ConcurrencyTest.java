package org.medida.edge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.Batch;
import org.medida.edge.api.BatchLimits;
import org.medida.edge.api.DataClass;
import org.medida.edge.api.Interval;

/** Collectors append while the uplink takes, releases and confirms batches: every entry goes out exactly once. */
class ConcurrencyTest {

    private static final List<String> METERS = List.of("M1", "M2", "M3");
    private static final int DAYS = 10;

    @TempDir
    Path directory;

    @Test
    void appendsBatchesAndConfirmsFromDifferentThreads() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(METERS.size() + 1);
        try (SqliteReadingStore store = SqliteReadingStore.open(
                new StoreSettings(directory.resolve("store.db"), 64L * 1024 * 1024))) {
            List<CompletableFuture<Void>> collectors = new ArrayList<>();
            for (String meter : METERS) {
                collectors.add(CompletableFuture.runAsync(() -> {
                    for (int day = 0; day < DAYS; day++) {
                        // each day read in two overlapping chunks, as an incremental read with a margin does
                        store.appendIntervals(Readings.block(meter, Readings.DAY_ONE.plus(Duration.ofDays(day)), 60));
                        store.appendIntervals(Readings.day(meter, day));
                    }
                }, threads));
            }
            CompletableFuture<Void> collected = CompletableFuture.allOf(collectors.toArray(CompletableFuture[]::new));
            Set<String> published = new HashSet<>();
            CompletableFuture<Integer> uplink = CompletableFuture.supplyAsync(() -> {
                int duplicates = 0;
                for (int round = 0; ; round++) {
                    Optional<Batch> batch = store.nextBatch(new BatchLimits(50));
                    if (batch.isEmpty()) {
                        if (collected.isDone() && store.backlog().entries().get(DataClass.INTERVALS) == 0) {
                            return duplicates;
                        }
                        LockSupport.parkNanos(1_000_000); // let the collectors in
                    } else if (round % 3 == 0) {
                        store.release(batch.get().id()); // no acknowledgement came: it must come again
                    } else {
                        for (Interval interval : ((Batch.Intervals) batch.get()).blocks().get(0).intervals()) {
                            duplicates += published.add(batch.get().serial() + " " + interval.end()) ? 0 : 1;
                        }
                        assertTrue(store.confirm(batch.get().id()));
                    }
                }
            }, threads);

            assertEquals(0, uplink.get(60, TimeUnit.SECONDS), "entries published twice");
            collected.get();
            assertEquals(METERS.size() * DAYS * 96, published.size());
        } finally {
            threads.shutdownNow();
        }
    }
}

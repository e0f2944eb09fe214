package org.medida.edge.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.medida.edge.api.Batch;
import org.medida.edge.api.BatchLimits;
import org.medida.edge.api.DataClass;

/**
 * B5: fills a store with {@code days} × {@code meters} × 96 entries × 2 channels as the collector appends them (one
 * append per meter and day, durable each) and prints the size on disk. Then it shows that the full backlog drains
 * cheaply: it takes and confirms {@value #DRAINED_BATCHES} batches of one meter-day each and prints the rate.
 * Arguments: [directory] [meters] [days].
 *
 * <pre>
 * mvn -q -pl edge-bundles/store exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.medida.edge.store.StoreSizeBenchmark -Dexec.args="/tmp/b5 1000 30"
 * </pre>
 */
public final class StoreSizeBenchmark {

    private static final int DRAINED_BATCHES = 2000;

    private StoreSizeBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args.length > 0 ? args[0] : "target/b5");
        int meters = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int days = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Path database = directory.resolve("store.db");
        Files.createDirectories(directory);
        try (Stream<Path> old = Files.list(directory)) {
            for (Path file : old.filter(file -> file.getFileName().toString().startsWith("store.db")).toList()) {
                Files.delete(file);
            }
        }

        long started = System.nanoTime();
        long entries;
        try (SqliteReadingStore store = SqliteReadingStore.open(new StoreSettings(database, Long.MAX_VALUE))) {
            for (int day = 0; day < days; day++) {
                for (int meter = 1; meter <= meters; meter++) {
                    store.appendIntervals(Readings.day(String.format("MED%08d", meter), day));
                }
            }
            entries = store.backlog().entries().get(DataClass.INTERVALS);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long bytes = Files.size(database);
        System.out.printf("B5 store size: %d meters x %d days x 96 entries x 2 channels = %d entries%n", meters, days,
                entries);
        System.out.printf("  %s: %,d bytes (%.1f MB), %.1f bytes per entry; filled in %d s (%d appends)%n", database,
                bytes, bytes / 1e6, (double) bytes / entries, took.toSeconds(), (long) meters * days);
        drain(database);
    }

    private static void drain(Path database) {
        try (SqliteReadingStore store = SqliteReadingStore.open(new StoreSettings(database, Long.MAX_VALUE))) {
            long started = System.nanoTime();
            long entries = 0;
            for (int i = 0; i < DRAINED_BATCHES; i++) {
                Batch batch = store.nextBatch(new BatchLimits(96)).orElseThrow();
                entries += batch.size();
                store.confirm(batch.id());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("  drain from the full store: %d batches (nextBatch + confirm), %d entries in %.1f s:"
                    + " %.0f batches/s, %.0f entries/s%n", DRAINED_BATCHES, entries, seconds,
                    DRAINED_BATCHES / seconds, entries / seconds);
        }
    }
}

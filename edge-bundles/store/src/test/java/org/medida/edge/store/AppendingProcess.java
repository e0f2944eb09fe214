package org.medida.edge.store;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Run in a child JVM by {@link KillTest}: appends blocks of {@value #ENTRIES_PER_APPEND} profile entries to the store
 * at {@code args[0]} for ever, and prints the number of each append once it returned, i.e. once it is durable.
 */
public final class AppendingProcess {

    static final int ENTRIES_PER_APPEND = 4;

    private AppendingProcess() {
    }

    public static void main(String[] args) {
        try (SqliteReadingStore store = SqliteReadingStore.open(new StoreSettings(Path.of(args[0]),
                64L * 1024 * 1024))) {
            for (int append = 0; ; append++) {
                store.appendIntervals(Readings.block("K1", firstEnd(append), ENTRIES_PER_APPEND));
                System.out.println(append);
                System.out.flush();
            }
        }
    }

    static Instant firstEnd(int append) {
        return Readings.DAY_ONE.plus(Readings.PERIOD.multipliedBy((long) append * ENTRIES_PER_APPEND));
    }
}

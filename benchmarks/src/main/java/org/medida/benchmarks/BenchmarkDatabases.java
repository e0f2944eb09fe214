package org.medida.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.medida.testing.PostgresServer;

/** The {@code --db sqlite|postgres} choice of the central benchmarks (B7, B9) and the PostgreSQL server they use. */
final class BenchmarkDatabases {

    private BenchmarkDatabases() {
    }

    /** Removes {@code --db <kind>} from {@code args}; returns whether it asks for PostgreSQL (default SQLite). */
    static boolean takeDbOption(List<String> args) {
        int at = args.indexOf("--db");
        if (at < 0) {
            return false;
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException("--db needs a value: sqlite or postgres");
        }
        String kind = args.remove(at + 1);
        args.remove(at);
        return switch (kind) {
            case "sqlite" -> false;
            case "postgres" -> true;
            default -> throw new IllegalArgumentException("--db " + kind + ": sqlite or postgres");
        };
    }

    /**
     * A PostgreSQL server of the benchmark's own, durable as in production (fsync and synchronous commit on, as
     * SQLite's synchronous=FULL), with more memory than the packaged default for the 10 M-row tables.
     */
    static PostgresServer server(Path work) throws IOException {
        return PostgresServer.start(work.resolve("postgres"), "shared_buffers=512MB", "max_wal_size=4GB",
                "work_mem=16MB");
    }
}

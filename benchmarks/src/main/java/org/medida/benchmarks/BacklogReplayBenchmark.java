package org.medida.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.edge.store.StoreSettings;
import org.medida.edge.uplink.MqttUplink;
import org.medida.edge.uplink.UplinkSettings;
import org.medida.testing.FreePorts;
import org.medida.testing.MosquittoBroker;

/**
 * B6: backlog replay after an outage. An edge store is filled with a backlog (meters × days × 96 entries × 2
 * channels); then central runs as its own process ({@code central/target/medida-central.jar}) on a real Mosquitto,
 * the real uplink ({@link MqttUplink}, default settings) starts, and the clock runs until central's database holds
 * every interval value. Baseline in the same run: the same rows inserted with raw JDBC batches into a table of the
 * same shape (WAL, synchronous FULL as central's), one transaction per meter-day as central commits per batch.
 * <p>
 * {@code BacklogReplayBenchmark [meters] [days] [central jar]}, default 1000 1 central/target/medida-central.jar.
 */
public final class BacklogReplayBenchmark {

    private static final String GATEWAY = "bench-gw";
    private static final Duration CENTRAL_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REPLAY_TIMEOUT = Duration.ofMinutes(5);

    private BacklogReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int meters = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path centralJar = Path.of(args.length > 2 ? args[2] : "central/target/medida-central.jar");
        if (!Files.isRegularFile(centralJar)) {
            throw new IllegalArgumentException("no central jar at " + centralJar.toAbsolutePath()
                    + ": build it with mvn -pl central -am install -DskipTests");
        }
        Path dir = Files.createTempDirectory("medida-bench-b6");
        LocalDate firstDay = LocalDate.now(ZoneOffset.UTC).minusDays(days);
        List<IntervalBlock> backlog = new ArrayList<>();
        for (int m = 1; m <= meters; m++) {
            for (int d = 0; d < days; d++) {
                backlog.add(MeterDays.of(MeterDays.serial(m), firstDay.plusDays(d)));
            }
        }
        long samples = backlog.stream().mapToLong(b -> (long) b.intervals().size() * b.channels().size()).sum();
        Process central = null;
        try {
            double baseline = samples / rawInsertSeconds(dir.resolve("raw.db"), backlog);
            try (SqliteReadingStore store = SqliteReadingStore.open(new StoreSettings(dir.resolve("store.db"),
                    1024L * 1024 * 1024));
                    MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"))) {
                backlog.forEach(store::appendIntervals);
                Path centralDb = dir.resolve("central.db");
                central = startCentral(centralJar, centralDb, broker.url(), dir.resolve("central.log"));
                long started = System.nanoTime();
                double seconds;
                try (MqttUplink uplink = new MqttUplink(UplinkSettings.defaults(broker.url(), GATEWAY,
                        dir.resolve("uplink")), store, Optional::empty)) {
                    awaitIntervalValues(centralDb, samples, dir.resolve("central.log"));
                    seconds = (System.nanoTime() - started) / 1e9;
                    System.out.printf(Locale.ROOT, "%d meter-days, %d interval values replayed in %.1f s "
                            + "(%d batches); raw JDBC baseline %.0f values/s%n", backlog.size(), samples, seconds,
                            uplink.status().confirmedBatches(), baseline);
                }
                double rate = samples / seconds;
                System.out.println();
                System.out.println("| ID | value | unit | baseline | ratio | command | date |");
                System.out.println("|---|---|---|---|---|---|---|");
                System.out.printf(Locale.ROOT, "| B6 | %.0f | samples/s backlog replay edge store → MQTT → central's "
                        + "SQLite (%d meters × %d day × 96 × 2 = %d values) | %.0f (raw JDBC batch insert, one "
                        + "transaction per meter-day) | %.2f× | `bash benchmarks/run b6` | %s |%n", rate, meters,
                        days, samples, baseline, rate / baseline, LocalDate.now());
            }
        } finally {
            if (central != null) {
                stop(central);
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Inserts every value with prepared-statement batches, one transaction per meter-day; returns the seconds. */
    private static double rawInsertSeconds(Path db, List<IntervalBlock> backlog) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=FULL");
                statement.execute("CREATE TABLE interval_values (meter_id BIGINT NOT NULL, reading_type_id BIGINT "
                        + "NOT NULL, end_at BIGINT NOT NULL, value TEXT NOT NULL, status INTEGER NOT NULL, "
                        + "PRIMARY KEY (meter_id, reading_type_id, end_at)) WITHOUT ROWID");
            }
            connection.setAutoCommit(false);
            long started = System.nanoTime();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT OR IGNORE INTO interval_values VALUES (?, ?, ?, ?, ?)")) {
                long meterId = 0;
                for (IntervalBlock block : backlog) {
                    meterId++;
                    for (Interval entry : block.intervals()) {
                        for (int c = 0; c < block.channels().size(); c++) {
                            insert.setLong(1, meterId);
                            insert.setLong(2, c + 1);
                            insert.setLong(3, entry.end().toEpochMilli());
                            insert.setString(4, entry.values().get(c).toPlainString());
                            insert.setInt(5, entry.status());
                            insert.addBatch();
                        }
                    }
                    insert.executeBatch();
                    connection.commit();
                }
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }

    private static Process startCentral(Path jar, Path db, String brokerUrl, Path log)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toAbsolutePath().toString(), "--db", db.toString(), "--broker", brokerUrl,
                "--gateway", GATEWAY, "--http-port", Integer.toString(FreePorts.next()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + CENTRAL_START_TIMEOUT.toNanos();
        while (!Files.readString(log).contains("Central running")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("central did not start:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return process;
    }

    private static void awaitIntervalValues(Path db, long expected, Path log)
            throws SQLException, InterruptedException, IOException {
        long deadline = System.nanoTime() + REPLAY_TIMEOUT.toNanos();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            long stored = 0;
            while (stored < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("central holds " + stored + " of " + expected + " after "
                            + REPLAY_TIMEOUT + ":\n" + Files.readString(log));
                }
                Thread.sleep(100);
                try (Statement statement = connection.createStatement();
                        ResultSet count = statement.executeQuery("SELECT count(*) FROM interval_values")) {
                    stored = count.next() ? count.getLong(1) : 0;
                }
            }
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}

package org.medida.benchmarks;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.medida.central.db.Database;
import org.medida.central.gateways.Gateways;
import org.medida.central.ingest.IngestHandler;
import org.medida.edge.api.Batch;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.ProfileChannel;
import org.medida.protocol.BatchAck;
import org.medida.protocol.MalformedPayloadException;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;
import org.medida.testing.PostgresServer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * B7: central's ingest path — decode the payload, validate it, derive reading types, insert every row with
 * insert-or-ignore in one transaction per batch, commit, encode the ack — against a raw JDBC batch insert of the
 * same rows into the same schema (same connection settings: WAL, synchronous=FULL, one transaction per batch),
 * with everything the baseline needs (decoded rows, meter and reading type ids) prepared outside the timing.
 * Each batch is a meter's day of 15-minute A+/A- entries (192 interval values). Rounds alternate between the two on
 * fresh databases; the first round of each is warm-up; the median of the others is reported.
 * <p>
 * With {@code --db postgres} both run on a PostgreSQL server of the benchmark's own (fsync and synchronous commit
 * on), and the baseline is {@code COPY} of the same rows, one COPY and commit per batch.
 * <p>
 * {@code java -cp benchmarks/target/medida-benchmarks.jar org.medida.benchmarks.CentralIngestBenchmark
 * [--db sqlite|postgres] [work dir] [batches per round] [rounds]}
 */
public final class CentralIngestBenchmark {

    private static final String GATEWAY = "gw-b7";
    private static final LocalDate DAY = LocalDate.of(2026, 11, 21);
    private static final String A_PLUS = "0.0.2.1.1.1.12.0.0.0.0.0.0.0.0.0.72.0";
    private static final String A_MINUS = "0.0.2.1.19.1.12.0.0.0.0.0.0.0.0.0.72.0";
    private static final String INSERT = "INSERT INTO interval_values (meter_id, reading_type_id, end_at, value, status) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private CentralIngestBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList(arguments));
        boolean postgres = BenchmarkDatabases.takeDbOption(args);
        Path work = args.size() > 0 ? Path.of(args.get(0)) : Files.createTempDirectory("medida-b7");
        int batchCount = args.size() > 1 ? Integer.parseInt(args.get(1)) : 400;
        int rounds = args.size() > 2 ? Integer.parseInt(args.get(2)) : 9;
        Files.createDirectories(work);
        try (PostgresServer server = postgres ? BenchmarkDatabases.server(work) : null) {
            run(server, work, batchCount, rounds);
        }
    }

    /** The rounds, on {@code server}'s databases, or on SQLite files in {@code work} when it is null. */
    private static void run(PostgresServer server, Path work, int batchCount, int rounds) throws Exception {
        List<Batch.Intervals> batches = new ArrayList<>();
        for (int m = 0; m < batchCount; m++) {
            batches.add(meterDay(m + 1L, String.format(Locale.ROOT, "B7-%05d", m)));
        }
        List<byte[]> payloads = batches.stream().map(Payloads::encodeBatch).toList();
        long samples = batches.stream().mapToLong(b -> 2L * b.size()).sum();

        double[] central = new double[rounds];
        double[] raw = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            central[round] = samples / centralIngest(fresh(server, work, "central_" + round), payloads);
            raw[round] = samples / (server == null ? rawInsert(fresh(null, work, "raw_" + round), batches)
                    : rawCopy(fresh(server, work, "raw_" + round), batches));
            System.out.printf(Locale.ROOT, "round %d%s: central %.0f, raw %.0f samples/s%n", round,
                    round == 0 ? " (warm-up)" : "", central[round], raw[round]);
        }
        double centralMedian = median(Arrays.copyOfRange(central, 1, rounds));
        double rawMedian = median(Arrays.copyOfRange(raw, 1, rounds));
        System.out.println();
        System.out.println("| ID | value | unit | baseline | ratio | command | date |");
        System.out.println("|---|---|---|---|---|---|---|");
        boolean sqlite = server == null;
        System.out.printf(Locale.ROOT, "| B7 (%s) | %.0f | interval values/s into %s (%d meter-day batches of 192 values, "
                + "one transaction each, %s) | %.0f (%s) | %.2f× | `bash benchmarks/run %s` | %s |%n",
                sqlite ? "SQLite" : "PostgreSQL", centralMedian, sqlite ? "SQLite" : "PostgreSQL", batchCount,
                sqlite ? "WAL, synchronous=FULL" : "fsync and synchronous_commit on", rawMedian,
                sqlite ? "raw JDBC batch insert" : "COPY, one per batch and commit", centralMedian / rawMedian,
                sqlite ? "b7" : "b7-postgres", LocalDate.now(ZoneOffset.UTC));
    }

    /** A new empty database: a SQLite file in {@code work}, or a database on {@code server}. */
    private static String fresh(PostgresServer server, Path work, String name) throws SQLException {
        return server == null ? work.resolve(name + ".db").toString() : server.createDatabase(name);
    }

    /** Central's path, message by message as the writer thread runs it; returns the seconds it took. */
    private static double centralIngest(String where, List<byte[]> payloads) throws Exception {
        Database database = Database.open(where);
        Gateways gateways = Gateways.load(database);
        gateways.register(database, List.of(GATEWAY), Instant.now());
        String topic = Topics.batch(GATEWAY);
        try (IngestHandler handler = new IngestHandler(database, gateways, Clock.systemUTC())) {
            long started = System.nanoTime();
            for (byte[] payload : payloads) {
                IngestHandler.Reply reply = handler.handle(topic, payload).orElseThrow();
                if (!decodeAck(reply.payload()).committed()) {
                    throw new IllegalStateException("central refused a benchmark batch");
                }
            }
            return (System.nanoTime() - started) / 1e9;
        } finally {
            database.close();
            delete(where);
        }
    }

    /** The baseline: the same rows, already decoded, with their ids known, inserted by plain JDBC batches. */
    private static double rawInsert(String file, List<Batch.Intervals> batches) throws Exception {
        Database database = Database.open(file);
        try (database; Connection connection = database.connect()) {
            long[] types = prepare(connection, batches);
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                long started = System.nanoTime();
                long meterId = 1;
                for (Batch.Intervals batch : batches) {
                    for (Interval interval : batch.blocks().get(0).intervals()) {
                        for (int c = 0; c < 2; c++) {
                            insert.setLong(1, meterId);
                            insert.setLong(2, types[c]);
                            insert.setLong(3, interval.end().toEpochMilli());
                            database.dialect().bindDecimal(insert, 4, interval.values().get(c));
                            insert.setInt(5, interval.status());
                            insert.addBatch();
                        }
                    }
                    insert.executeBatch();
                    connection.commit();
                    meterId++;
                }
                return (System.nanoTime() - started) / 1e9;
            }
        } finally {
            delete(file);
        }
    }

    /** The PostgreSQL baseline: the same rows, ids known, one COPY and commit per batch. */
    private static double rawCopy(String url, List<Batch.Intervals> batches) throws Exception {
        try (Database database = Database.open(url); Connection connection = database.connect()) {
            long[] types = prepare(connection, batches);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder text = new StringBuilder();
            long started = System.nanoTime();
            long meterId = 1;
            for (Batch.Intervals batch : batches) {
                text.setLength(0);
                for (Interval interval : batch.blocks().get(0).intervals()) {
                    for (int c = 0; c < 2; c++) {
                        text.append(meterId).append('\t').append(types[c]).append('\t')
                                .append(interval.end().toEpochMilli()).append('\t')
                                .append(interval.values().get(c).toPlainString()).append('\t')
                                .append(interval.status()).append('\n');
                    }
                }
                copy.copyIn("COPY interval_values (meter_id, reading_type_id, end_at, value, status) FROM STDIN",
                        new StringReader(text.toString()));
                meterId++;
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }

    /** Gateway, meters 1..n and the two reading types, committed before the timing; returns the type ids. */
    private static long[] prepare(Connection connection, List<Batch.Intervals> batches) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO gateways (gateway_id, added_at) VALUES ('" + GATEWAY + "', 0)");
            for (Batch.Intervals batch : batches) {
                statement.executeUpdate("INSERT INTO meters (serial, gateway_id, first_seen) VALUES ('"
                        + batch.serial() + "', '" + GATEWAY + "', 0)");
            }
            statement.executeUpdate("INSERT INTO reading_types (reading_type_id, code, obis, unit, description) "
                    + "VALUES (1, '" + A_PLUS + "', '1.0.1.8.0.255', 'Wh', 'A+'), (2, '" + A_MINUS
                    + "', '1.0.2.8.0.255', 'Wh', 'A-')");
        }
        return new long[] {1, 2};
    }

    private static Batch.Intervals meterDay(long id, String serial) {
        Instant midnight = DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<Interval> intervals = new ArrayList<>();
        long importWh = 1_000_000 + id * 7919;
        long exportWh = 20_000 + id;
        for (int i = 1; i <= 96; i++) {
            importWh += 40 + (i * id) % 500;
            exportWh += (i % 7 == 0) ? (i * id) % 90 : 0;
            intervals.add(new Interval(midnight.plus(Duration.ofMinutes(15L * i)), 0,
                    List.of(BigDecimal.valueOf(importWh, 1), BigDecimal.valueOf(exportWh, 1))));
        }
        return new Batch.Intervals(id, serial, DAY, List.of(new IntervalBlock(serial, "1.0.99.1.0.255",
                Duration.ofMinutes(15), List.of(new ProfileChannel("1.0.1.8.0.255", "Wh"),
                        new ProfileChannel("1.0.2.8.0.255", "Wh")), intervals)));
    }

    private static BatchAck decodeAck(byte[] payload) {
        try {
            return Payloads.decodeAck(payload);
        } catch (MalformedPayloadException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Deletes a SQLite file with its WAL; a PostgreSQL database goes with the server. */
    private static void delete(String where) throws IOException {
        if (where.startsWith("jdbc:postgresql:")) {
            return;
        }
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(where + suffix));
        }
    }
}

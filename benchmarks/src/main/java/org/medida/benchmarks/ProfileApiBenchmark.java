package org.medida.benchmarks;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.Random;

import org.medida.central.Central;
import org.medida.central.db.Database;
import org.medida.central.events.GapBackfill;
import org.medida.central.plans.Plans;
import org.medida.testing.FreePorts;
import org.medida.testing.PostgresServer;
import org.postgresql.PGConnection;

/**
 * B9: the dashboard's profile API with 10 M interval values stored — {@code GET /api/meters/{serial}/intervals}
 * for a random meter and a random 31-day window, through central's real HTTP server, one request after the other,
 * P50/P95/max of the full response time. The database is filled directly (meters × days × 96 entries × 2 channels,
 * 15-minute A+/A-; SQLite by prepared-statement batches, PostgreSQL by COPY), analysed, then central starts on it.
 * <p>
 * {@code java -cp benchmarks/target/medida-benchmarks.jar org.medida.benchmarks.ProfileApiBenchmark
 * [--db sqlite|postgres] [work dir] [meters] [days] [requests]} (defaults: sqlite, a temporary directory, 1000,
 * 53, 500: 10.2 M values, windows of 31 of the 53 days)
 */
public final class ProfileApiBenchmark {

    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 9, 1);
    private static final int ENTRIES_PER_DAY = 96;
    private static final int WINDOW_DAYS = 31;
    private static final int WARM_UP = 50;
    private static final String[] CHANNELS = {"0.0.2.1.1.1.12.0.0.0.0.0.0.0.0.0.72.0",
        "0.0.2.1.19.1.12.0.0.0.0.0.0.0.0.0.72.0"};

    private ProfileApiBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList(arguments));
        boolean postgres = BenchmarkDatabases.takeDbOption(args);
        Path work = args.size() > 0 ? Path.of(args.get(0)) : Files.createTempDirectory("medida-b9");
        int meters = args.size() > 1 ? Integer.parseInt(args.get(1)) : 1000;
        int days = args.size() > 2 ? Integer.parseInt(args.get(2)) : 53;
        int requests = args.size() > 3 ? Integer.parseInt(args.get(3)) : 500;
        if (days < WINDOW_DAYS) {
            throw new IllegalArgumentException("at least " + WINDOW_DAYS + " days, for 31-day windows");
        }
        Files.createDirectories(work);
        try (PostgresServer server = postgres ? BenchmarkDatabases.server(work) : null) {
            String where = postgres ? server.createDatabase("b9") : work.resolve("b9.db").toString();
            Database database = Database.open(where);
            long started = System.nanoTime();
            long rows = fill(database, postgres, meters, days);
            double fillSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "filled %,d interval values in %.0f s (%.0f values/s)%n", rows, fillSeconds,
                    rows / fillSeconds);
            try (Central central = Central.start(new Central.Settings(where, work, null, new Central.HostPort(
                    "127.0.0.1", FreePorts.next()), "medida-b9", null, null, "127.0.0.1", 0, List.of(),
                    Plans.Settings.of(null, Plans.Settings.DEFAULT_RETRY_SECONDS), GapBackfill.Settings.DEFAULTS,
                    adminPassword(work)),
                    Clock.systemUTC())) {
                double[] millis = measure(central.httpPort(), meters, days, requests);
                report(postgres, millis, rows, meters);
            }
        }
    }

    private static long fill(Database database, boolean postgres, int meters, int days) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO gateways (gateway_id, added_at) VALUES ('gw-b9', 0)");
            for (int m = 1; m <= meters; m++) {
                statement.executeUpdate("INSERT INTO meters (meter_id, serial, gateway_id, first_seen) VALUES (" + m
                        + ", '" + serial(m) + "', 'gw-b9', 0)");
            }
            for (int c = 0; c < CHANNELS.length; c++) {
                statement.executeUpdate("INSERT INTO reading_types (reading_type_id, code, obis, unit, description) "
                        + "VALUES (" + (c + 1) + ", '" + CHANNELS[c] + "', '1.0." + (c + 1) + ".8.0.255', 'Wh', "
                        + "'15-min energy (Wh)')");
            }
            long rows = postgres ? copy(connection, meters, days) : insert(database, connection, meters, days);
            statement.execute(postgres ? "VACUUM ANALYZE" : "ANALYZE");
            return rows;
        }
    }

    /** SQLite: one transaction per meter, in key order; no fsync while filling (the fill is not what is timed). */
    private static long insert(Database database, Connection connection, int meters, int days) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA synchronous=OFF");
        }
        connection.setAutoCommit(false);
        long rows = 0;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO interval_values "
                + "(meter_id, reading_type_id, end_at, value, status) VALUES (?, ?, ?, ?, 0)")) {
            for (int m = 1; m <= meters; m++) {
                rows += values(m, days, (meter, type, at, value) -> {
                    insert.setLong(1, meter);
                    insert.setLong(2, type);
                    insert.setLong(3, at);
                    database.dialect().bindDecimal(insert, 4, value);
                    insert.addBatch();
                });
                insert.executeBatch();
                connection.commit();
            }
        }
        connection.setAutoCommit(true);
        return rows;
    }

    /** PostgreSQL: one COPY per meter. */
    private static long copy(Connection connection, int meters, int days) throws SQLException, IOException {
        var copy = connection.unwrap(PGConnection.class).getCopyAPI();
        long rows = 0;
        StringBuilder text = new StringBuilder();
        for (int m = 1; m <= meters; m++) {
            text.setLength(0);
            values(m, days, (meter, type, at, value) -> text.append(meter).append('\t').append(type).append('\t')
                    .append(at).append('\t').append(value.toPlainString()).append("\t0\n"));
            rows += copy.copyIn("COPY interval_values (meter_id, reading_type_id, end_at, value, status) FROM STDIN",
                    new StringReader(text.toString()));
        }
        return rows;
    }

    /** Takes one generated interval value. */
    private interface Sink {
        void take(int meter, int readingType, long endAt, BigDecimal value) throws SQLException;
    }

    /** The meter's interval values, both channels, in key order; returns how many. */
    private static long values(int meter, int days, Sink sink) throws SQLException {
        long count = 0;
        for (int c = 0; c < CHANNELS.length; c++) {
            long at = start();
            long wh = 1_000_000L * meter;
            for (int i = 0; i < days * ENTRIES_PER_DAY; i++) {
                at += Duration.ofMinutes(15).toMillis();
                wh += 37 + (i * meter + c) % 400;
                sink.take(meter, c + 1, at, BigDecimal.valueOf(wh, 1));
                count++;
            }
        }
        return count;
    }

    /** The dashboard's first operator, admin, with this password: the API answers logged-in operators only. */
    private static final String ADMIN_PASSWORD = "b9-benchmark-password";

    private static Path adminPassword(Path work) throws IOException {
        return Files.writeString(work.resolve("admin-password"), ADMIN_PASSWORD);
    }

    private static double[] measure(int port, int meters, int days, int requests) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .cookieHandler(new CookieManager()).build();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (login.statusCode() != 200) {
            throw new IllegalStateException("login: " + login.statusCode() + " " + login.body());
        }
        Random random = new Random(9);
        double[] millis = new double[requests];
        long values = 0;
        for (int r = -WARM_UP; r < requests; r++) {
            Instant from = Instant.ofEpochMilli(start()).plus(Duration.ofDays(random.nextInt(days - WINDOW_DAYS + 1)));
            String path = "/api/meters/" + serial(1 + random.nextInt(meters)) + "/intervals?from=" + from + "&to="
                    + from.plus(Duration.ofDays(WINDOW_DAYS));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
            long started = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            double elapsed = (System.nanoTime() - started) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
            }
            if (r >= 0) {
                millis[r] = elapsed;
                values += response.body().split("\"end\":", -1).length - 1;
            }
        }
        System.out.printf(Locale.ROOT, "%d requests, %.0f values per response%n", requests, (double) values / requests);
        return millis;
    }

    private static void report(boolean postgres, double[] millis, long rows, int meters) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double p50 = percentile(sorted, 50);
        double p95 = percentile(sorted, 95);
        System.out.printf(Locale.ROOT, "P50 %.1f ms, P95 %.1f ms, P99 %.1f ms, max %.1f ms%n", p50, p95,
                percentile(sorted, 99), sorted[sorted.length - 1]);
        System.out.println();
        System.out.println("| ID | value | unit | baseline | ratio | command | date |");
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| B9 (%s) | %.1f | ms P95 (P50 %.1f), GET /api/meters/{serial}/intervals of a "
                + "random meter of %d over a random 31-day window, %.1f M interval values stored, through central's "
                + "HTTP server | — (target 100) | %.2f× of target | `bash benchmarks/run %s` | %s |%n",
                postgres ? "PostgreSQL" : "SQLite", p95, p50, meters, rows / 1e6, p95 / 100,
                postgres ? "b9-postgres" : "b9", LocalDate.now(ZoneOffset.UTC));
    }

    private static double percentile(double[] sorted, int percent) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    private static long start() {
        return FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    private static String serial(int meter) {
        return String.format(Locale.ROOT, "B9-%05d", meter);
    }
}

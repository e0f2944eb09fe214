package org.medida.itests;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medida.testing.FreePorts;
import org.sqlite.SQLiteConfig;

/**
 * Central as the operator runs it, {@code java -jar central/target/medida-central.jar}, as a child process on its own
 * SQLite file, and what it stored, read from that file with JDBC while it runs (SQLite WAL lets a reader in).
 */
final class EndToEndCentral implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String SUBSCRIBED = "Subscribed to";

    private final List<String> command;
    private final Path database;
    private final Path log;
    private final int httpPort;
    private final String adminPassword;
    private ProcessChild process;
    private CentralApi operator;

    private EndToEndCentral(List<String> command, Path database, Path log, int httpPort, String adminPassword) {
        this.command = command;
        this.database = database;
        this.log = log;
        this.httpPort = httpPort;
        this.adminPassword = adminPassword;
    }

    /**
     * Starts central on {@code dir/central.db}, subscribed at the broker as {@code user}, for {@code gateways}, with
     * more command-line {@code options}.
     */
    static EndToEndCentral start(Path dir, String brokerUrl, String user, String password, List<String> gateways,
            List<String> options) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path database = dir.resolve("central.db");
        // the first operator's password, as an installer gives it: central creates "admin" with it on first start
        Path adminPasswordFile = dir.resolve("admin-password");
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String adminPassword = HexFormat.of().formatHex(secret);
        Files.writeString(adminPasswordFile, adminPassword + "\n", StandardCharsets.UTF_8);
        int httpPort = FreePorts.next();
        List<String> command = new ArrayList<>(List.of(ProcessChild.java(), "-Xmx256m", "-jar",
                EndToEndFiles.centralJar().toString(), "--db", database.toString(), "--broker", brokerUrl,
                "--mqtt-username", user, "--mqtt-password", password,
                "--http-port", Integer.toString(httpPort), "--admin-password-file", adminPasswordFile.toString()));
        gateways.forEach(gateway -> command.addAll(List.of("--gateway", gateway)));
        command.addAll(options);
        EndToEndCentral central = new EndToEndCentral(command, database, dir.resolve("central.log"), httpPort,
                adminPassword);
        central.launch();
        return central;
    }

    /** Starts the process and returns once it has subscribed at the broker and its HTTP API answers. */
    private void launch() throws IOException, InterruptedException {
        long subscribedBefore = subscriptions();
        process = ProcessChild.start("central", command, database.getParent(), log);
        process.awaitReady("subscribed and serving HTTP", START_TIMEOUT,
                () -> subscriptions() > subscribedBefore && ProcessChild.accepting(httpPort));
    }

    /** SIGTERM, then the same command line on the same database. */
    void restart() throws IOException, InterruptedException {
        process.terminate();
        launch();
    }

    ProcessChild process() {
        return process;
    }

    Path database() {
        return database;
    }

    /** The API as operator {@code admin}, logged in on first use (a session is kept in central's database). */
    CentralApi operator() throws IOException, InterruptedException {
        if (operator == null) {
            operator = CentralApi.login(httpPort, "admin", adminPassword);
        }
        return operator;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.terminate();
        }
    }

    private long subscriptions() {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains(SUBSCRIBED)).count() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    // ---- what central stored

    /** A gateway's row: online from its last birth or will, and that message's session. */
    record GatewayState(boolean online, long session) {
    }

    record IntervalValue(String serial, String obis, Instant end, BigDecimal value, int status) {
    }

    record Reading(String serial, String obis, Instant at, BigDecimal value) {
    }

    record Event(String serial, String log, Instant at, int code, long durationSeconds) {
    }

    /** A gap or a drop report: interval ends {@code from}..{@code to}, both included. */
    record Span(String serial, Instant from, Instant to) {
        boolean covers(Instant end) {
            return !end.isBefore(from) && !end.isAfter(to);
        }
    }

    /** Everything central holds for the meters of one gateway. */
    record Contents(List<IntervalValue> intervals, List<Reading> readings, List<Event> events, List<Span> gaps,
            List<Span> drops) {
    }

    Optional<GatewayState> gateway(String gatewayId) throws SQLException {
        try (Connection db = open();
                PreparedStatement query = db.prepareStatement(
                        "SELECT online, session FROM gateways WHERE gateway_id = ? AND session IS NOT NULL")) {
            query.setString(1, gatewayId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(new GatewayState(row.getInt(1) == 1, row.getLong(2)))
                        : Optional.empty();
            }
        }
    }

    /** A gateway's answer to a command request: its status and detail. */
    record CommandResult(String status, String detail) {
    }

    /** The answer central recorded for the command {@code correlationId}, if any. */
    Optional<CommandResult> commandResult(String correlationId) throws SQLException {
        try (Connection db = open(); PreparedStatement query = db.prepareStatement(
                "SELECT status, detail FROM command_results WHERE correlation_id = ?")) {
            query.setString(1, correlationId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(new CommandResult(row.getString(1), row.getString(2)))
                        : Optional.empty();
            }
        }
    }

    /** Rows of a table (intervals, events, ...): how far ingest has come. */
    long count(String table) throws SQLException {
        try (Connection db = open();
                PreparedStatement query = db.prepareStatement("SELECT COUNT(*) FROM " + table);
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The last interval end central holds per meter serial. */
    Map<String, Instant> lastIntervalEnds() throws SQLException {
        Map<String, Instant> last = new HashMap<>();
        try (Connection db = open()) {
            select(db, "SELECT m.serial, MAX(v.end_at) FROM interval_values v JOIN meters m ON m.meter_id = v.meter_id "
                    + "GROUP BY m.serial", r -> last.put(r.getString(1), Instant.ofEpochMilli(r.getLong(2))));
        }
        return last;
    }

    Contents contents() throws SQLException {
        try (Connection db = open()) {
            return new Contents(
                    select(db, "SELECT m.serial, t.obis, v.end_at, v.value, v.status FROM interval_values v "
                            + "JOIN meters m ON m.meter_id = v.meter_id "
                            + "JOIN reading_types t ON t.reading_type_id = v.reading_type_id",
                            r -> new IntervalValue(r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)),
                                    new BigDecimal(r.getString(4)), r.getInt(5))),
                    select(db, "SELECT m.serial, t.obis, v.at, v.value FROM readings v "
                            + "JOIN meters m ON m.meter_id = v.meter_id "
                            + "JOIN reading_types t ON t.reading_type_id = v.reading_type_id",
                            r -> new Reading(r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)),
                                    new BigDecimal(r.getString(4)))),
                    select(db, "SELECT m.serial, e.log, e.at, e.code, e.duration_seconds FROM events e "
                            + "JOIN meters m ON m.meter_id = e.meter_id",
                            r -> new Event(r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)),
                                    r.getInt(4), r.getLong(5))),
                    select(db, "SELECT m.serial, g.from_end, g.to_end FROM gaps g "
                            + "JOIN meters m ON m.meter_id = g.meter_id",
                            EndToEndCentral::span),
                    select(db, "SELECT m.serial, d.from_end, d.to_end FROM drops d "
                            + "JOIN meters m ON m.meter_id = d.meter_id",
                            EndToEndCentral::span));
        }
    }

    private static Span span(ResultSet row) throws SQLException {
        return new Span(row.getString(1), Instant.ofEpochMilli(row.getLong(2)), Instant.ofEpochMilli(row.getLong(3)));
    }

    private interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private static <T> List<T> select(Connection db, String sql, RowMapper<T> mapper) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement(sql); ResultSet row = query.executeQuery()) {
            while (row.next()) {
                rows.add(mapper.map(row));
            }
        }
        return rows;
    }

    private Connection open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(30_000);
        return config.createConnection("jdbc:sqlite:" + database);
    }
}

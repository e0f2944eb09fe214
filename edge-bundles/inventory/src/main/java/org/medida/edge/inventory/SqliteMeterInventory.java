package org.medida.edge.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medida.edge.api.Failure;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.InventoryMeter;
import org.medida.edge.api.MeterInventory;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.MeterState;
import org.medida.edge.api.Reachability;
import org.sqlite.SQLiteConfig;

/**
 * The {@link MeterInventory} on its own SQLite file, usable as plain Java: {@link #open}, use from any threads,
 * close. WAL journal with {@code synchronous=FULL} like the reading store: a high-water mark must never be durable
 * later than the readings it stands for were, nor be lost after they were. Every operation is one transaction on
 * one connection, so the methods are synchronized. Times are kept as epoch milliseconds.
 */
public final class SqliteMeterInventory implements MeterInventory, AutoCloseable {

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS meter (
              serial TEXT PRIMARY KEY,
              transport TEXT NOT NULL,            -- WRAPPER, HDLC or SERIAL
              host TEXT NOT NULL,                 -- TCP host, or the serial port's name
              port INTEGER NOT NULL,
              physical_address INTEGER NOT NULL,
              logical_device INTEGER NOT NULL,
              channel TEXT NOT NULL,
              iec21_address TEXT NOT NULL,
              security TEXT NOT NULL,             -- NONE, LLS or HLS5_GMAC
              client_sap INTEGER NOT NULL,
              password BLOB,
              encryption_key BLOB,
              authentication_key BLOB,
              state TEXT NOT NULL,
              state_since INTEGER NOT NULL,
              last_success INTEGER,
              last_failure INTEGER,
              failure_kind TEXT,
              failure_detail TEXT,
              consecutive_failures INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE IF NOT EXISTS state_change (
              serial TEXT NOT NULL REFERENCES meter(serial),
              state TEXT NOT NULL,
              at INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS high_water_mark (
              serial TEXT NOT NULL REFERENCES meter(serial),
              profile TEXT NOT NULL,
              collected_up_to INTEGER NOT NULL,
              PRIMARY KEY (serial, profile)
            ) WITHOUT ROWID;
            """;

    private static final String COLUMNS = "serial, transport, host, port, physical_address, logical_device, channel, "
            + "iec21_address, security, client_sap, password, encryption_key, authentication_key, state, state_since, "
            + "last_success, last_failure, failure_kind, failure_detail, consecutive_failures";

    private final Connection db;

    private SqliteMeterInventory(Connection db) {
        this.db = db;
    }

    public static SqliteMeterInventory open(Path database) {
        Path file = database.toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the inventory's directory " + file.getParent(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        try {
            Connection db = config.createConnection("jdbc:sqlite:" + file);
            try (Statement statement = db.createStatement()) {
                for (String ddl : SCHEMA.split(";")) {
                    if (!ddl.isBlank()) {
                        statement.executeUpdate(ddl);
                    }
                }
            }
            db.setAutoCommit(false);
            db.commit();
            return new SqliteMeterInventory(db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the meter inventory " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<InventoryMeter> meters() {
        return query("SELECT " + COLUMNS + " FROM meter ORDER BY serial", null);
    }

    @Override
    public synchronized Optional<InventoryMeter> meter(String serial) {
        return query("SELECT " + COLUMNS + " FROM meter WHERE serial = ?", serial).stream().findFirst();
    }

    @Override
    public synchronized void register(MeterRef meter, MeterState state, Instant at) {
        inTransaction(() -> {
            boolean known;
            try (PreparedStatement update = db.prepareStatement("UPDATE meter SET transport = ?, host = ?, port = ?, "
                    + "physical_address = ?, logical_device = ?, channel = ?, iec21_address = ?, security = ?, "
                    + "client_sap = ?, password = ?, encryption_key = ?, authentication_key = ? WHERE serial = ?")) {
                bindMeter(update, 1, meter);
                update.setString(13, meter.serial());
                known = update.executeUpdate() == 1;
            }
            if (known) {
                applyState(meter.serial(), state, at);
            } else {
                try (PreparedStatement insert = db.prepareStatement("INSERT INTO meter (transport, host, port, "
                        + "physical_address, logical_device, channel, iec21_address, security, client_sap, password, "
                        + "encryption_key, authentication_key, serial, state, state_since) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    bindMeter(insert, 1, meter);
                    insert.setString(13, meter.serial());
                    insert.setString(14, state.name());
                    insert.setLong(15, at.toEpochMilli());
                    insert.executeUpdate();
                }
                logStateChange(meter.serial(), state, at);
            }
        });
    }

    @Override
    public synchronized void changeState(String serial, MeterState state, Instant at) {
        inTransaction(() -> {
            requireKnown(serial);
            applyState(serial, state, at);
        });
    }

    @Override
    public synchronized void recordSuccess(String serial, Instant at) {
        update(serial, "UPDATE meter SET last_success = ?, consecutive_failures = 0 WHERE serial = ?",
                statement -> statement.setLong(1, at.toEpochMilli()));
    }

    @Override
    public synchronized void recordFailure(String serial, Instant at, Failure reason) {
        update(serial, "UPDATE meter SET last_failure = ?, failure_kind = ?, failure_detail = ?, "
                + "consecutive_failures = consecutive_failures + 1 WHERE serial = ?", statement -> {
                    statement.setLong(1, at.toEpochMilli());
                    statement.setString(2, reason.kind().name());
                    statement.setString(3, reason.detail());
                });
    }

    @Override
    public synchronized void moveHighWaterMark(String serial, String profileObis, Instant collectedUpTo) {
        inTransaction(() -> {
            requireKnown(serial);
            try (PreparedStatement upsert = db.prepareStatement("INSERT INTO high_water_mark (serial, profile, "
                    + "collected_up_to) VALUES (?, ?, ?) ON CONFLICT (serial, profile) "
                    + "DO UPDATE SET collected_up_to = excluded.collected_up_to")) {
                upsert.setString(1, serial);
                upsert.setString(2, profileObis);
                upsert.setLong(3, collectedUpTo.toEpochMilli());
                upsert.executeUpdate();
            }
        });
    }

    /** Closes the database; the inventory cannot be used afterwards. */
    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close the meter inventory: " + e.getMessage(), e);
        }
    }

    private void applyState(String serial, MeterState state, Instant at) throws SQLException {
        try (PreparedStatement update = db.prepareStatement(
                "UPDATE meter SET state = ?, state_since = ? WHERE serial = ? AND state <> ?")) {
            update.setString(1, state.name());
            update.setLong(2, at.toEpochMilli());
            update.setString(3, serial);
            update.setString(4, state.name());
            if (update.executeUpdate() == 1) {
                logStateChange(serial, state, at);
            }
        }
    }

    private void logStateChange(String serial, MeterState state, Instant at) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO state_change (serial, state, at) VALUES (?, ?, ?)")) {
            insert.setString(1, serial);
            insert.setString(2, state.name());
            insert.setLong(3, at.toEpochMilli());
            insert.executeUpdate();
        }
    }

    private void requireKnown(String serial) throws SQLException {
        try (PreparedStatement select = db.prepareStatement("SELECT 1 FROM meter WHERE serial = ?")) {
            select.setString(1, serial);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalArgumentException("no meter " + serial + " in the inventory");
                }
            }
        }
    }

    /** Binds the link and security columns, in the order of {@link #COLUMNS} after the serial. */
    private static void bindMeter(PreparedStatement statement, int first, MeterRef meter) throws SQLException {
        int i = first;
        MeterLink link = meter.link();
        if (link instanceof MeterLink.TcpWrapper wrapper) {
            statement.setString(i++, "WRAPPER");
            statement.setString(i++, wrapper.host());
            statement.setInt(i++, wrapper.port());
            statement.setInt(i++, 0);
            statement.setInt(i++, wrapper.logicalDevice());
            statement.setString(i++, wrapper.channel());
            statement.setString(i++, "");
        } else if (link instanceof MeterLink.TcpHdlc hdlc) {
            statement.setString(i++, "HDLC");
            statement.setString(i++, hdlc.host());
            statement.setInt(i++, hdlc.port());
            statement.setInt(i++, hdlc.physicalAddress());
            statement.setInt(i++, hdlc.logicalDevice());
            statement.setString(i++, hdlc.channel());
            statement.setString(i++, "");
        } else if (link instanceof MeterLink.SerialModeE serial) {
            statement.setString(i++, "SERIAL");
            statement.setString(i++, serial.portName());
            statement.setInt(i++, 0);
            statement.setInt(i++, serial.physicalAddress());
            statement.setInt(i++, serial.logicalDevice());
            statement.setString(i++, serial.channel());
            statement.setString(i++, serial.iec21Address());
        }
        MeterSecurity security = meter.security();
        statement.setString(i++, security.level().name());
        statement.setInt(i++, security.clientSap());
        setBytes(statement, i++, security.password());
        setBytes(statement, i++, security.encryptionKey());
        setBytes(statement, i, security.authenticationKey());
    }

    private static void setBytes(PreparedStatement statement, int index, byte[] bytes) throws SQLException {
        if (bytes == null) {
            statement.setNull(index, Types.BLOB);
        } else {
            statement.setBytes(index, bytes);
        }
    }

    private List<InventoryMeter> query(String sql, String serial) {
        try {
            Map<String, Map<String, Instant>> marks = highWaterMarks(serial);
            List<InventoryMeter> meters = new ArrayList<>();
            try (PreparedStatement select = db.prepareStatement(sql)) {
                if (serial != null) {
                    select.setString(1, serial);
                }
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        meters.add(meterOf(row, marks.getOrDefault(row.getString("serial"), Map.of())));
                    }
                }
            }
            db.commit();
            return meters;
        } catch (SQLException e) {
            rollback();
            throw new IllegalStateException("cannot read the meter inventory: " + e.getMessage(), e);
        }
    }

    private Map<String, Map<String, Instant>> highWaterMarks(String serial) throws SQLException {
        Map<String, Map<String, Instant>> marks = new HashMap<>();
        try (PreparedStatement select = db.prepareStatement(serial == null
                ? "SELECT serial, profile, collected_up_to FROM high_water_mark"
                : "SELECT serial, profile, collected_up_to FROM high_water_mark WHERE serial = ?")) {
            if (serial != null) {
                select.setString(1, serial);
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    marks.computeIfAbsent(row.getString(1), s -> new HashMap<>())
                            .put(row.getString(2), Instant.ofEpochMilli(row.getLong(3)));
                }
            }
        }
        return marks;
    }

    private static InventoryMeter meterOf(ResultSet row, Map<String, Instant> marks) throws SQLException {
        String serial = row.getString("serial");
        String host = row.getString("host");
        int physical = row.getInt("physical_address");
        int logical = row.getInt("logical_device");
        String channel = row.getString("channel");
        MeterLink link = switch (row.getString("transport")) {
            case "WRAPPER" -> new MeterLink.TcpWrapper(host, row.getInt("port"), logical, channel);
            case "HDLC" -> new MeterLink.TcpHdlc(host, row.getInt("port"), physical, logical, channel);
            default -> new MeterLink.SerialModeE(host, row.getString("iec21_address"), physical, logical);
        };
        MeterSecurity security = new MeterSecurity(MeterSecurity.Level.valueOf(row.getString("security")),
                row.getInt("client_sap"), row.getBytes("password"), row.getBytes("encryption_key"),
                row.getBytes("authentication_key"));
        String failureKind = row.getString("failure_kind");
        Reachability reachability = new Reachability(instantOrNull(row, "last_success"),
                instantOrNull(row, "last_failure"),
                failureKind == null ? null : new Failure(FailureKind.valueOf(failureKind),
                        row.getString("failure_detail")),
                row.getInt("consecutive_failures"));
        return new InventoryMeter(new MeterRef(serial, link, security), MeterState.valueOf(row.getString("state")),
                Instant.ofEpochMilli(row.getLong("state_since")), reachability, marks);
    }

    private static Instant instantOrNull(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** An update of one meter's row; the serial is the statement's last parameter. */
    private void update(String serial, String sql, Binder binder) {
        inTransaction(() -> {
            try (PreparedStatement update = db.prepareStatement(sql)) {
                binder.bind(update);
                update.setString(update.getParameterMetaData().getParameterCount(), serial);
                if (update.executeUpdate() == 0) {
                    throw new IllegalArgumentException("no meter " + serial + " in the inventory");
                }
            }
        });
    }

    private interface Work {
        void run() throws SQLException;
    }

    private void inTransaction(Work work) {
        try {
            work.run();
            db.commit();
        } catch (SQLException e) {
            rollback();
            throw new IllegalStateException("cannot update the meter inventory: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollback();
            throw e;
        }
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException e) {
            // the connection is unusable: the next operation reports it
        }
    }
}

package org.medida.central.plans;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.medida.central.TestDatabases;
import org.medida.central.db.Database;

/**
 * A real SQLite database with gateways and meters as provisioning leaves them (written by SQL here, the provisioning
 * step of these tests), and reads of what the plans wrote.
 */
final class PlanFleet {

    static final String ALL_CAPABILITIES = "disconnector,limiter,load_profile,events,instantaneous,clock";

    final Database database;

    PlanFleet(Path dir) throws SQLException {
        database = TestDatabases.open(dir.resolve("central.db"));
    }

    void gateway(String id) throws SQLException {
        sql("INSERT INTO gateways (gateway_id, added_at) VALUES (?, 0)", id);
    }

    /** Meters {@code prefix}001.. on {@code gateway} (null: point to point), in {@code state}. */
    List<String> meters(String prefix, int count, String gateway, String state, String capabilities)
            throws SQLException {
        List<String> serials = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String serial = String.format("%s%03d", prefix, i);
            meter(serial, gateway, state, capabilities);
            serials.add(serial);
        }
        return serials;
    }

    void meter(String serial, String gateway, String state, String capabilities) throws SQLException {
        sql("INSERT INTO meters (serial, gateway_id, first_seen, state, connection, capabilities) "
                + "VALUES (?, ?, 0, ?, ?, ?)", serial, gateway, state, gateway == null ? "point_to_point" : "gateway",
                capabilities);
    }

    void group(String name, String serial) throws SQLException {
        sql("INSERT INTO meter_groups (group_name, meter_id) SELECT ?, meter_id FROM meters WHERE serial = ?", name,
                serial);
    }

    void sql(String sql, Object... parameters) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    /** The rows {@code sql} selects, each row's columns joined by "|". */
    List<String> rows(String sql, Object... parameters) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int c = 1; c <= columns; c++) {
                        row.append(c > 1 ? "|" : "").append(result.getString(c));
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }

    String one(String sql, Object... parameters) throws SQLException {
        List<String> rows = rows(sql, parameters);
        if (rows.size() != 1) {
            throw new AssertionError(rows.size() + " rows for " + sql);
        }
        return rows.get(0);
    }

    static Instant at(String iso) {
        return Instant.parse(iso);
    }
}

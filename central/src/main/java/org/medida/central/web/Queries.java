package org.medida.central.web;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medida.central.db.Dialect;

/** The read side the HTTP view shows, on a connection of its own (WAL: readers never wait for the ingest). */
public final class Queries {

    record Gateway(String id, boolean online, Long session, Instant statusAt, Instant lastSeen, String software) {
    }

    public record LastValue(String readingType, String description, Instant at, BigDecimal value) {
    }

    record Meter(String serial, String gateway, Instant firstSeen, long intervalValues, long readings, long events,
            List<LastValue> lastValues) {
    }

    record IntervalValue(String readingType, Instant end, BigDecimal value, int status) {
    }

    private static final String LAST_VALUES = """
            SELECT rt.code, rt.description, x.{time}, x.value
            FROM (SELECT reading_type_id, MAX({time}) AS last FROM {table} WHERE meter_id = ? GROUP BY reading_type_id) l
            JOIN {table} x ON x.meter_id = ? AND x.reading_type_id = l.reading_type_id AND x.{time} = l.last
            JOIN reading_types rt ON rt.reading_type_id = x.reading_type_id
            ORDER BY rt.code""";

    private final Connection connection;
    private final Dialect dialect;

    public Queries(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    /** Rows per table the ingest writes: interval values, readings, events, gaps, drop reports, batches. */
    Map<String, Long> totals() throws SQLException {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (String table : List.of("interval_values", "readings", "events", "gaps", "drops", "ingested_batches")) {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rows.next();
                totals.put(table, rows.getLong(1));
            }
        }
        return totals;
    }

    List<Gateway> gateways() throws SQLException {
        List<Gateway> gateways = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT gateway_id, online, session, status_at, last_seen, "
                        + "software FROM gateways ORDER BY gateway_id")) {
            while (rows.next()) {
                gateways.add(new Gateway(rows.getString(1), rows.getInt(2) == 1, nullableLong(rows, 3),
                        instant(rows, 4), instant(rows, 5), rows.getString(6)));
            }
        }
        return gateways;
    }

    List<Meter> meters() throws SQLException {
        List<Meter> meters = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT m.meter_id, m.serial, m.gateway_id, m.first_seen,
                          (SELECT COUNT(*) FROM interval_values v WHERE v.meter_id = m.meter_id),
                          (SELECT COUNT(*) FROM readings r WHERE r.meter_id = m.meter_id),
                          (SELECT COUNT(*) FROM events e WHERE e.meter_id = m.meter_id)
                        FROM meters m ORDER BY m.serial""")) {
            while (rows.next()) {
                meters.add(new Meter(rows.getString(2), rows.getString(3), instant(rows, 4), rows.getLong(5),
                        rows.getLong(6), rows.getLong(7), lastValues(rows.getLong(1))));
            }
        }
        return meters;
    }

    /** The meter's last value of each register, then of each interval channel. */
    public List<LastValue> lastValues(long meterId) throws SQLException {
        List<LastValue> last = new ArrayList<>(lastValues(meterId, "readings", "at"));
        last.addAll(lastValues(meterId, "interval_values", "end_at"));
        return last;
    }

    /** The meter's interval values with ends in (from, to], oldest first; empty if the meter is unknown. */
    Optional<List<IntervalValue>> intervals(String serial, Instant from, Instant to) throws SQLException {
        Optional<Long> meterId = meterId(serial);
        if (meterId.isEmpty()) {
            return Optional.empty();
        }
        List<IntervalValue> values = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT rt.code, v.end_at, v.value, v.status FROM interval_values v
                JOIN reading_types rt ON rt.reading_type_id = v.reading_type_id
                WHERE v.meter_id = ? AND v.end_at > ? AND v.end_at <= ? ORDER BY v.end_at, rt.code""")) {
            select.setLong(1, meterId.get());
            select.setLong(2, from.toEpochMilli());
            select.setLong(3, to.toEpochMilli());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(new IntervalValue(rows.getString(1), instant(rows, 2), dialect.decimal(rows, 3),
                            rows.getInt(4)));
                }
            }
        }
        return Optional.of(values);
    }

    /** The last value of each reading type of the meter, registers first; empty if the meter is unknown. */
    List<LastValue> lastValues(String serial) throws SQLException {
        Optional<Long> meterId = meterId(serial);
        return meterId.isEmpty() ? List.of() : lastValues(meterId.get());
    }

    private Optional<Long> meterId(String serial) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT meter_id FROM meters WHERE serial = ?")) {
            select.setString(1, serial);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
            }
        }
    }

    private List<LastValue> lastValues(long meterId, String table, String time) throws SQLException {
        List<LastValue> values = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                LAST_VALUES.replace("{table}", table).replace("{time}", time))) {
            select.setLong(1, meterId);
            select.setLong(2, meterId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(new LastValue(rows.getString(1), rows.getString(2), instant(rows, 3),
                            dialect.decimal(rows, 4)));
                }
            }
        }
        return values;
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        Long millis = nullableLong(rows, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }
}

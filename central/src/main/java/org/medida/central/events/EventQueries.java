package org.medida.central.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The read side of events and alarms, and acknowledging an alarm; instants as ISO-8601 text for the JSON. */
final class EventQueries {

    private static final String EVENT_COLUMNS = "e.event_id, e.serial, e.gateway_id, e.at, e.source, e.code, e.name, "
            + "e.detail, e.recorded_at";
    private static final String ALARMS = "SELECT a.alarm_id, a.severity, a.raised_at, a.acknowledged_by, "
            + "a.acknowledged_at, " + EVENT_COLUMNS + " FROM alarms a JOIN central_events e ON e.event_id = a.event_id";

    record Event(long id, String serial, String gatewayId, String at, String source, int code, String name,
            String detail, String recordedAt) {
    }

    record Alarm(long id, String severity, String raisedAt, String acknowledgedBy, String acknowledgedAt,
            Event event) {
    }

    /** Which events: each filter may be null. */
    record EventFilter(String serial, String gatewayId, Instant from, Instant to, int limit) {
    }

    private final Connection connection;

    EventQueries(Connection connection) {
        this.connection = connection;
    }

    /** Events matching {@code filter}, newest first. */
    List<Event> events(EventFilter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM central_events e WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (filter.serial() != null) {
            sql.append(" AND e.serial = ?");
            parameters.add(filter.serial());
        }
        if (filter.gatewayId() != null) {
            sql.append(" AND e.gateway_id = ?");
            parameters.add(filter.gatewayId());
        }
        if (filter.from() != null) {
            sql.append(" AND e.at >= ?");
            parameters.add(filter.from().toEpochMilli());
        }
        if (filter.to() != null) {
            sql.append(" AND e.at < ?");
            parameters.add(filter.to().toEpochMilli());
        }
        sql.append(" ORDER BY e.at DESC, e.event_id DESC LIMIT ?");
        parameters.add(filter.limit());
        List<Event> events = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(event(rows, 1));
                }
            }
        }
        return events;
    }

    /** Alarms, newest first; only those not acknowledged yet when {@code openOnly}. */
    List<Alarm> alarms(boolean openOnly, int limit) throws SQLException {
        String sql = ALARMS + (openOnly ? " WHERE a.acknowledged_at IS NULL" : "")
                + " ORDER BY a.raised_at DESC, a.alarm_id DESC LIMIT ?";
        List<Alarm> alarms = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setInt(1, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    alarms.add(alarm(rows));
                }
            }
        }
        return alarms;
    }

    Optional<Alarm> alarm(long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(ALARMS + " WHERE a.alarm_id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(alarm(rows)) : Optional.empty();
            }
        }
    }

    /** Acknowledges alarm {@code id} if it is still open; false if it is not (unknown or acknowledged before). */
    boolean acknowledge(long id, String username, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE alarms SET acknowledged_by = ?, "
                + "acknowledged_at = ? WHERE alarm_id = ? AND acknowledged_at IS NULL")) {
            update.setString(1, username);
            update.setLong(2, now.toEpochMilli());
            update.setLong(3, id);
            return update.executeUpdate() == 1;
        }
    }

    private static Alarm alarm(ResultSet rows) throws SQLException {
        return new Alarm(rows.getLong(1), rows.getString(2), instant(rows, 3), rows.getString(4), instant(rows, 5),
                event(rows, 6));
    }

    private static Event event(ResultSet rows, int first) throws SQLException {
        return new Event(rows.getLong(first), rows.getString(first + 1), rows.getString(first + 2),
                instant(rows, first + 3), rows.getString(first + 4), rows.getInt(first + 5), rows.getString(first + 6),
                rows.getString(first + 7), instant(rows, first + 8));
    }

    private static String instant(ResultSet rows, int column) throws SQLException {
        long millis = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(millis).toString();
    }
}

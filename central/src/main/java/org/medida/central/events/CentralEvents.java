package org.medida.central.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Records events in {@code central_events}, in the caller's transaction, so an event is committed with the change
 * that caused it. Every part of central that notices something (ingest, work orders, provisioning, gateways)
 * records through here. An event new to central raises an alarm when an {@link AlarmRules alarm rule} says so, in
 * the same transaction; an event recorded again (same dedup key) changes nothing and raises nothing.
 */
public final class CentralEvents {

    private static final String INSERT = "INSERT INTO central_events (serial, gateway_id, at, source, code, name, "
            + "detail, dedup_key, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    // The WHERE also keeps SQLite's parser from reading a following clause as a join constraint.
    private static final String RAISE = "INSERT INTO alarms (event_id, severity, raised_at) "
            + "SELECT event_id, ?, ? FROM central_events WHERE dedup_key = ?";

    private CentralEvents() {
    }

    /** Records {@code event}; returns false when an event with its dedup key is already recorded. */
    public static boolean record(Connection connection, CentralEvent event, Instant now) throws SQLException {
        return recordAll(connection, List.of(event), now) == 1;
    }

    /** Records {@code events} with one statement batch (the ingest's path); returns how many were new. */
    public static int recordAll(Connection connection, List<CentralEvent> events, Instant now) throws SQLException {
        if (events.isEmpty()) {
            return 0;
        }
        int[] counts;
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (CentralEvent event : events) {
                insert.setString(1, event.serial());
                insert.setString(2, event.gatewayId());
                insert.setLong(3, event.at().toEpochMilli());
                insert.setString(4, event.source());
                insert.setInt(5, event.code());
                insert.setString(6, event.name());
                insert.setString(7, event.detail());
                insert.setString(8, event.dedupKey());
                insert.setLong(9, now.toEpochMilli());
                insert.addBatch();
            }
            counts = insert.executeBatch();
        }
        int added = 0;
        AlarmRules rules = null;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                added++;
                rules = rules == null ? AlarmRules.load(connection) : rules;
                Optional<String> severity = rules.alarmFor(events.get(i));
                if (severity.isPresent()) {
                    raise(connection, events.get(i), severity.get(), now);
                }
            }
        }
        return added;
    }

    private static void raise(Connection connection, CentralEvent event, String severity, Instant now)
            throws SQLException {
        try (PreparedStatement raise = connection.prepareStatement(RAISE)) {
            raise.setString(1, severity);
            raise.setLong(2, now.toEpochMilli());
            raise.setString(3, event.dedupKey());
            raise.executeUpdate();
        }
    }
}

package org.medida.central.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Records events in {@code central_events}, in the caller's transaction, so an event is committed with the change
 * that caused it. Every part of central that notices something (ingest, work orders, provisioning, gateways)
 * records through here.
 */
public final class CentralEvents {

    private static final String INSERT = "INSERT INTO central_events (serial, gateway_id, at, source, code, name, "
            + "detail, dedup_key, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private CentralEvents() {
    }

    /** Records {@code event}; returns false when an event with its dedup key is already recorded. */
    public static boolean record(Connection connection, CentralEvent event, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, event.serial());
            insert.setString(2, event.gatewayId());
            insert.setLong(3, event.at().toEpochMilli());
            insert.setString(4, event.source());
            insert.setInt(5, event.code());
            insert.setString(6, event.name());
            insert.setString(7, event.detail());
            insert.setString(8, event.dedupKey());
            insert.setLong(9, now.toEpochMilli());
            return insert.executeUpdate() == 1;
        }
    }
}

package org.medida.central.gateways;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.medida.central.db.Database;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.Topics;

/**
 * The gateways central accepts data from, kept in the database ({@code gateways}), and their online state from the
 * status messages they publish: a birth ({@code online}) or a last will, each with the gateway's session number.
 * A status older than the last one seen from the gateway (a last will of an earlier connection that the broker
 * delivered late) is ignored, so a gateway that reconnected is not shown offline by its own stale death.
 */
public final class Gateways {

    private static final String REGISTER = "INSERT INTO gateways (gateway_id, added_at) VALUES (?, ?) "
            + "ON CONFLICT DO NOTHING";
    private static final String APPLY_STATUS = "UPDATE gateways SET online = ?, session = ?, status_at = ?, "
            + "software = ?, last_seen = ? WHERE gateway_id = ? AND (session IS NULL OR session <= ?)";

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    private Gateways() {
    }

    /** The gateways already in {@code database}. */
    public static Gateways load(Database database) throws SQLException {
        Gateways gateways = new Gateways();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT gateway_id FROM gateways")) {
            while (rows.next()) {
                gateways.known.add(rows.getString(1));
            }
        }
        return gateways;
    }

    /** Makes {@code ids} known (kept in the database); ids already known stay as they are. */
    public void register(Database database, Collection<String> ids, Instant now) throws SQLException {
        for (String id : ids) {
            if (!Topics.isValidGatewayId(id)) {
                throw new IllegalArgumentException("invalid gateway id '" + id + "': 1 to 64 of [A-Za-z0-9._-]");
            }
        }
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement(REGISTER)) {
            for (String id : ids) {
                insert.setString(1, id);
                insert.setLong(2, now.toEpochMilli());
                insert.executeUpdate();
            }
        }
        known.addAll(ids);
    }

    /** Whether central accepts messages from {@code gatewayId}. */
    public boolean isKnown(String gatewayId) {
        return known.contains(gatewayId);
    }

    /**
     * Records {@code status} of a known gateway in the caller's transaction, unless its session is older than the
     * last one seen. Returns whether it was applied.
     */
    public static boolean applyStatus(Connection connection, String gatewayId, GatewayStatus status, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(APPLY_STATUS)) {
            update.setInt(1, status.online() ? 1 : 0);
            update.setLong(2, status.session());
            update.setLong(3, status.at().toEpochMilli());
            update.setString(4, status.software());
            update.setLong(5, now.toEpochMilli());
            update.setString(6, gatewayId);
            update.setLong(7, status.session());
            return update.executeUpdate() == 1;
        }
    }
}

package org.medida.central.direct;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Records in {@code meters} how central's last attempt to talk to a point-to-point meter went (M4). */
final class MeterReachability {

    private static final String SUCCESS = "UPDATE meters SET reachable = 1, last_success = ? WHERE serial = ?";
    private static final String FAILURE = "UPDATE meters SET reachable = 0, last_failure = ?, "
            + "last_failure_reason = ? WHERE serial = ?";

    private MeterReachability() {
    }

    static void success(Connection connection, String serial, Instant at) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(SUCCESS)) {
            update.setLong(1, at.toEpochMilli());
            update.setString(2, serial);
            update.executeUpdate();
        }
    }

    static void failure(Connection connection, String serial, Instant at, String reason) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(FAILURE)) {
            update.setLong(1, at.toEpochMilli());
            update.setString(2, reason);
            update.setString(3, serial);
            update.executeUpdate();
        }
    }
}

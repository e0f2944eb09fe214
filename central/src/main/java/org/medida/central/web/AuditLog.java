package org.medida.central.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Every state-changing action, who and when (U3): recorded in the caller's transaction with the change itself. */
public final class AuditLog {

    private static final String INSERT = "INSERT INTO audit_log (at, username, action, target, detail) "
            + "VALUES (?, ?, ?, ?, ?)";

    private AuditLog() {
    }

    public static void record(Connection connection, Instant at, String username, String action, String target,
            String detail) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setLong(1, at.toEpochMilli());
            insert.setString(2, username);
            insert.setString(3, action);
            insert.setString(4, target);
            insert.setString(5, detail == null ? "" : detail);
            insert.executeUpdate();
        }
    }
}

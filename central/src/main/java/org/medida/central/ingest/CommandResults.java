package org.medida.central.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

import org.medida.central.db.Dialect;
import org.medida.central.db.RegisterRows;
import org.medida.edge.api.TaskOutcome;

/**
 * Stores the outcome of a command a gateway carried out, under its correlation id, with the registers it read and
 * the disconnector state it read back. The first outcome of a correlation id wins; a redelivered copy adds nothing.
 * Work orders (next issue) are built on these rows.
 */
final class CommandResults {

    private static final String INSERT = "INSERT INTO command_results (correlation_id, gateway_id, serial, status, "
            + "detail, completed_at, received_at, relay_closed, control_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING";

    private CommandResults() {
    }

    /** Stores {@code outcome} in the caller's transaction; returns false if its correlation id was already stored. */
    static boolean store(Connection connection, Dialect dialect, String gatewayId, TaskOutcome outcome, Instant now)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, outcome.correlationId());
            insert.setString(2, gatewayId);
            insert.setString(3, outcome.serial());
            insert.setString(4, outcome.status().name());
            insert.setString(5, outcome.detail());
            insert.setLong(6, outcome.completedAt().toEpochMilli());
            insert.setLong(7, now.toEpochMilli());
            if (outcome.supplyState() == null) {
                insert.setNull(8, Types.INTEGER);
                insert.setNull(9, Types.INTEGER);
            } else {
                insert.setInt(8, outcome.supplyState().relayClosed() ? 1 : 0);
                insert.setInt(9, outcome.supplyState().controlState());
            }
            if (insert.executeUpdate() == 0) {
                return false;
            }
        }
        RegisterRows.COMMAND_RESULTS.insert(connection, dialect, outcome.correlationId(), outcome.registers());
        return true;
    }
}

package org.medida.central.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

import org.medida.central.db.Dialect;
import org.medida.edge.api.RegisterReading;
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
    private static final String INSERT_REGISTER = "INSERT INTO command_result_registers (correlation_id, position, "
            + "obis, unit, value, capture_time, read_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

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
        storeRegisters(connection, dialect, outcome.correlationId(), outcome.registers());
        return true;
    }

    private static void storeRegisters(Connection connection, Dialect dialect, String correlationId,
            List<RegisterReading> registers) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_REGISTER)) {
            for (int i = 0; i < registers.size(); i++) {
                RegisterReading register = registers.get(i);
                insert.setString(1, correlationId);
                insert.setInt(2, i);
                insert.setString(3, register.obis());
                insert.setString(4, register.unit());
                dialect.bindDecimal(insert, 5, register.value());
                if (register.captureTime() == null) {
                    insert.setNull(6, Types.BIGINT);
                } else {
                    insert.setLong(6, register.captureTime().toEpochMilli());
                }
                insert.setLong(7, register.readAt().toEpochMilli());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}

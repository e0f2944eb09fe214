package org.medida.central.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

import org.medida.edge.api.RegisterReading;

/**
 * The register readings of one command under its correlation id, in order, in one of the two tables of the same
 * columns: the outcome as the gateway sent it, and the work order's result.
 */
public enum RegisterRows {
    COMMAND_RESULTS("command_result_registers"),
    WORK_ORDERS("work_order_registers");

    private final String insert;

    RegisterRows(String table) {
        this.insert = "INSERT INTO " + table + " (correlation_id, position, obis, unit, value, capture_time, read_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)";
    }

    /** Adds {@code registers} under {@code correlationId} in the caller's transaction. */
    public void insert(Connection connection, Dialect dialect, String correlationId, List<RegisterReading> registers)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(this.insert)) {
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

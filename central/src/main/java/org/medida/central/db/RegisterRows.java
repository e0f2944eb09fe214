package org.medida.central.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

import org.medida.edge.api.RegisterReading;

/**
 * The register readings of one command under its correlation id, in order: the rows of
 * {@code command_result_registers} (the outcome as the gateway sent it) and {@code work_order_registers} (the
 * order's result), which have the same columns.
 */
public final class RegisterRows {

    public static final String COMMAND_RESULTS = "command_result_registers";
    public static final String WORK_ORDERS = "work_order_registers";

    private RegisterRows() {
    }

    /** Adds {@code registers} to {@code table} (one of the two above) in the caller's transaction. */
    public static void insert(Connection connection, Dialect dialect, String table, String correlationId,
            List<RegisterReading> registers) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (correlation_id, "
                + "position, obis, unit, value, capture_time, read_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
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

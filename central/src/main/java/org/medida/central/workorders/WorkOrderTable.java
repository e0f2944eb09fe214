package org.medida.central.workorders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.medida.central.db.Dialect;
import org.medida.central.db.RegisterRows;
import org.medida.edge.api.Priority;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;
import org.medida.edge.api.TaskKind;

/**
 * The SQL of {@code work_orders} and {@code work_order_registers}, in the caller's connection and transaction. State
 * changes are conditional on the state the caller saw, so two threads (an outcome and a timeout) cannot both move
 * one order.
 */
final class WorkOrderTable {

    private static final String COLUMNS = "w.correlation_id, w.serial, w.gateway_id, w.kind, w.argument, w.priority, "
            + "w.state, w.reason, w.origin, w.plan_id, w.attempts, w.max_attempts, w.retry_after_seconds, "
            + "w.created_at, w.not_before, w.expires_at, w.sent_at, w.completed_at, w.relay_closed, w.control_state";
    private static final String INSERT = "INSERT INTO work_orders (correlation_id, serial, gateway_id, kind, argument, "
            + "priority, state, reason, origin, plan_id, attempts, max_attempts, retry_after_seconds, created_at, "
            + "not_before, expires_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)";
    private static final String GATEWAY_ONLINE = "SELECT online FROM gateways WHERE gateway_id = ?";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM work_orders w WHERE w.correlation_id = ?";
    /** Due orders whose gateway is online (or that need none), high priority first, oldest first. */
    private static final String DUE = "SELECT " + COLUMNS + " FROM work_orders w "
            + "LEFT JOIN gateways g ON g.gateway_id = w.gateway_id "
            + "WHERE w.state = 'PENDING' AND w.not_before <= ? AND w.expires_at > ? "
            + "AND (w.gateway_id IS NULL OR g.online = 1) "
            + "ORDER BY CASE w.priority WHEN 'HIGH' THEN 0 ELSE 1 END, w.created_at LIMIT ?";
    private static final String EXPIRED = "SELECT " + COLUMNS + " FROM work_orders w "
            + "WHERE w.state = 'PENDING' AND w.expires_at <= ?";
    private static final String UNANSWERED = "SELECT " + COLUMNS + " FROM work_orders w "
            + "WHERE w.state = 'SENT' AND w.sent_at <= ?";
    private static final String MARK_SENT = "UPDATE work_orders SET state = 'SENT', attempts = attempts + 1, "
            + "sent_at = ? WHERE correlation_id = ? AND state = 'PENDING' AND attempts = ?";
    private static final String UNSEND = "UPDATE work_orders SET state = 'PENDING', attempts = attempts - 1, "
            + "sent_at = NULL WHERE correlation_id = ? AND state = 'SENT' AND attempts = ?";
    private static final String RETRY = "UPDATE work_orders SET state = 'PENDING', reason = ?, not_before = ? "
            + "WHERE correlation_id = ? AND state = ? AND attempts = ?";
    private static final String FINISH = "UPDATE work_orders SET state = ?, reason = ?, completed_at = ? "
            + "WHERE correlation_id = ? AND state IN ('PENDING', 'SENT')";
    private static final String SUPPLY = "UPDATE work_orders SET relay_closed = ?, control_state = ? "
            + "WHERE correlation_id = ?";
    private static final String DELETE_REGISTERS = "DELETE FROM work_order_registers WHERE correlation_id = ?";
    private static final String REGISTERS = "SELECT obis, unit, value, capture_time, read_at "
            + "FROM work_order_registers WHERE correlation_id = ? ORDER BY position";

    /** An order as stored, with what the service needs to retry it. */
    record Row(String correlationId, String serial, String gatewayId, TaskKind kind, long argument, Priority priority,
            OrderState state, String reason, String origin, Long planId, int attempts, int maxAttempts,
            long retryAfterSeconds, Instant createdAt, Instant notBefore, Instant expiresAt, Instant sentAt,
            Instant completedAt, SupplyState supply) {

        /** The row as {@link #markSent} left it: one attempt more. */
        static Row sentAgain(Row row) {
            return new Row(row.correlationId, row.serial, row.gatewayId, row.kind, row.argument, row.priority,
                    OrderState.SENT, row.reason, row.origin, row.planId, row.attempts + 1, row.maxAttempts,
                    row.retryAfterSeconds, row.createdAt, row.notBefore, row.expiresAt, row.sentAt, row.completedAt,
                    row.supply);
        }

        WorkOrder toOrder(List<RegisterReading> registers) {
            return new WorkOrder(correlationId, serial, gatewayId, kind, argument, priority, state, reason, origin,
                    planId, attempts, createdAt, expiresAt, completedAt, registers, supply);
        }
    }

    private WorkOrderTable() {
    }

    static void insert(Connection connection, String correlationId, WorkOrderRequest request, String gatewayId,
            OrderState state, String reason, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, correlationId);
            insert.setString(2, request.serial());
            insert.setString(3, gatewayId);
            insert.setString(4, request.kind().name());
            insert.setLong(5, request.argument());
            insert.setString(6, request.priority().name());
            insert.setString(7, state.name());
            insert.setString(8, reason);
            insert.setString(9, request.origin());
            if (request.planId() == null) {
                insert.setNull(10, Types.BIGINT);
            } else {
                insert.setLong(10, request.planId());
            }
            insert.setInt(11, request.retry().maxAttempts());
            insert.setLong(12, request.retry().retryAfter().toSeconds());
            insert.setLong(13, now.toEpochMilli());
            insert.setLong(14, request.notBefore().toEpochMilli());
            insert.setLong(15, request.expiresAt().toEpochMilli());
            setInstant(insert, 16, state.isFinal() ? now : null);
            insert.executeUpdate();
        }
    }

    static boolean gatewayOnline(Connection connection, String gatewayId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(GATEWAY_ONLINE)) {
            select.setString(1, gatewayId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getInt(1) == 1;
            }
        }
    }

    static Optional<Row> row(Connection connection, String correlationId) throws SQLException {
        List<Row> rows = rows(connection, BY_ID, correlationId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    static List<Row> due(Connection connection, Instant now, int limit) throws SQLException {
        return rows(connection, DUE, now.toEpochMilli(), now.toEpochMilli(), limit);
    }

    static List<Row> expired(Connection connection, Instant now) throws SQLException {
        return rows(connection, EXPIRED, now.toEpochMilli());
    }

    static List<Row> sentBefore(Connection connection, Instant sentBefore) throws SQLException {
        return rows(connection, UNANSWERED, sentBefore.toEpochMilli());
    }

    /** Orders newest first, optionally of one meter and/or in one state. */
    static List<Row> list(Connection connection, String serial, OrderState state, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM work_orders w WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (serial != null) {
            sql.append(" AND w.serial = ?");
            parameters.add(serial);
        }
        if (state != null) {
            sql.append(" AND w.state = ?");
            parameters.add(state.name());
        }
        sql.append(" ORDER BY w.created_at DESC, w.correlation_id LIMIT ?");
        parameters.add(limit);
        return rows(connection, sql.toString(), parameters.toArray());
    }

    /** Marks attempt {@code attempts + 1} sent; false if the order moved meanwhile. */
    static boolean markSent(Connection connection, Row order, Instant now) throws SQLException {
        return update(connection, MARK_SENT, now.toEpochMilli(), order.correlationId(), order.attempts());
    }

    /** Takes back attempt {@code attempt}, which could not be sent. */
    static void unsend(Connection connection, String correlationId, int attempt) throws SQLException {
        update(connection, UNSEND, correlationId, attempt);
    }

    /** Puts a failed attempt back to PENDING until {@code notBefore}; false if the order moved meanwhile. */
    static boolean retryAt(Connection connection, Row order, String reason, Instant notBefore) throws SQLException {
        return update(connection, RETRY, reason, notBefore.toEpochMilli(), order.correlationId(),
                order.state().name(), order.attempts());
    }

    /** Makes the order final; false if it already was. */
    static boolean finish(Connection connection, String correlationId, OrderState state, String reason, Instant now)
            throws SQLException {
        return update(connection, FINISH, state.name(), reason, now.toEpochMilli(), correlationId);
    }

    static void storeResult(Connection connection, Dialect dialect, String correlationId,
            List<RegisterReading> registers, SupplyState supply) throws SQLException {
        if (supply != null) {
            update(connection, SUPPLY, supply.relayClosed() ? 1 : 0, supply.controlState(), correlationId);
        }
        if (registers.isEmpty()) {
            return;
        }
        update(connection, DELETE_REGISTERS, correlationId);
        RegisterRows.WORK_ORDERS.insert(connection, dialect, correlationId, registers);
    }

    static List<RegisterReading> registers(Connection connection, Dialect dialect, String correlationId)
            throws SQLException {
        List<RegisterReading> registers = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(REGISTERS)) {
            select.setString(1, correlationId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    registers.add(new RegisterReading(rows.getString(1), dialect.decimal(rows, 3), rows.getString(2),
                            instant(rows, 4), instant(rows, 5)));
                }
            }
        }
        return registers;
    }

    private static List<Row> rows(Connection connection, String sql, Object... parameters) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select, parameters);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(read(row));
                }
            }
        }
        return rows;
    }

    private static Row read(ResultSet row) throws SQLException {
        long planId = row.getLong(10);
        Long plan = row.wasNull() ? null : planId;
        int relay = row.getInt(19);
        SupplyState supply = row.wasNull() ? null : new SupplyState(relay == 1, row.getInt(20));
        return new Row(row.getString(1), row.getString(2), row.getString(3), TaskKind.valueOf(row.getString(4)),
                row.getLong(5), Priority.valueOf(row.getString(6)), OrderState.valueOf(row.getString(7)),
                row.getString(8), row.getString(9), plan, row.getInt(11), row.getInt(12), row.getLong(13),
                instant(row, 14), instant(row, 15), instant(row, 16), instant(row, 17), instant(row, 18), supply);
    }

    private static boolean update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            bind(update, parameters);
            return update.executeUpdate() > 0;
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
        if (at == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, at.toEpochMilli());
        }
    }
}

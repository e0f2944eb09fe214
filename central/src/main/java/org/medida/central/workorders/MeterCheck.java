package org.medida.central.workorders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.medida.central.events.EventType;
import org.medida.edge.api.TaskKind;

/**
 * Validation of an order before it runs (M5): the meter exists, is commissioned, is linked to a gateway or has its
 * own link, and has the capability the task needs ({@code meters.capabilities}).
 */
final class MeterCheck {

    static final String POINT_TO_POINT = "point_to_point";

    /** The capability each task needs; reading registers needs none. */
    private static final Map<TaskKind, String> NEEDS = Map.of(
            TaskKind.DISCONNECT, "disconnector",
            TaskKind.RECONNECT, "disconnector",
            TaskKind.SET_POWER_LIMIT, "limiter",
            TaskKind.CLEAR_POWER_LIMIT, "limiter",
            TaskKind.READ_PROFILE, "load_profile",
            TaskKind.READ_EVENTS, "events",
            TaskKind.READ_INSTANTANEOUS, "instantaneous",
            TaskKind.SYNC_CLOCK, "clock");

    private static final String SELECT = "SELECT state, connection, gateway_id, capabilities FROM meters "
            + "WHERE serial = ?";

    /** The outcome of the check: where the order goes, or why it may not run. */
    record Result(String gatewayId, boolean pointToPoint, EventType failure, String reason) {
        boolean valid() {
            return failure == null;
        }

        static Result invalid(EventType failure, String reason) {
            return new Result(null, false, failure, reason);
        }
    }

    private MeterCheck() {
    }

    static Result check(Connection connection, String serial, TaskKind kind, boolean pointToPointAvailable)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setString(1, serial);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Result.invalid(EventType.WORK_ORDER_NOT_VALID, "unknown meter " + serial);
                }
                String state = row.getString(1);
                boolean pointToPoint = POINT_TO_POINT.equals(row.getString(2));
                String gatewayId = row.getString(3);
                Set<String> capabilities = Arrays.stream(row.getString(4).split(","))
                        .map(String::strip).filter(c -> !c.isEmpty()).collect(Collectors.toSet());
                if (!"commissioned".equals(state)) {
                    return Result.invalid(EventType.METER_NOT_COMMISSIONED, "meter " + serial
                            + " is not commissioned (state " + state + ")");
                }
                if (pointToPoint && !pointToPointAvailable) {
                    return Result.invalid(EventType.WORK_ORDER_NOT_VALID, "no point-to-point link configured");
                }
                if (!pointToPoint && gatewayId == null) {
                    return Result.invalid(EventType.WORK_ORDER_NOT_VALID, "meter " + serial + " is not linked to a gateway");
                }
                String needed = NEEDS.get(kind);
                if (needed != null && !capabilities.contains(needed)) {
                    return Result.invalid(EventType.WORK_ORDER_NOT_VALID, "meter " + serial + " does not support " + kind
                            + " (needs capability " + needed + ")");
                }
                return new Result(pointToPoint ? null : gatewayId, pointToPoint, null, "");
            }
        }
    }
}

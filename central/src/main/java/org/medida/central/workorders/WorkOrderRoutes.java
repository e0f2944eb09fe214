package org.medida.central.workorders;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import org.medida.central.db.Database;
import org.medida.central.web.AuditLog;
import org.medida.central.web.FeatureRoutes;
import org.medida.central.web.Operator;
import org.medida.central.web.QueryParameters;
import org.medida.central.web.Role;
import org.medida.edge.api.Priority;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.TaskKind;

/**
 * The work orders' HTTP API (documented in {@code openapi/workorders.json}): operators submit on-demand orders
 * (technical staff only: support is read-only, U3) and follow them. An order that fails validation is still
 * created (201, state FAIL with the reason); a request that is not an order at all is a 400 naming the field.
 */
public final class WorkOrderRoutes implements FeatureRoutes {

    /** On-demand orders are tried twice, 30 s apart, within their expiry. */
    static final RetryPolicy ON_DEMAND_RETRY = new RetryPolicy(2, Duration.ofSeconds(30));
    static final long DEFAULT_EXPIRY_SECONDS = 3600;
    static final long MAX_EXPIRY_SECONDS = 7 * 24 * 3600;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkOrderService orders;
    private final Database database;
    private final Clock clock;

    public WorkOrderRoutes(WorkOrderService orders, Database database, Clock clock) {
        this.orders = orders;
        this.database = database;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/workorders", this::submit, Role.TECHNICAL);
        routes.get("/api/workorders/{correlationId}", this::one, Role.SUPPORT);
        routes.get("/api/workorders", this::list, Role.SUPPORT);
    }

    /** A request that is not a valid order body, with the message for the 400 answer. */
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    private void submit(Context ctx) throws SQLException {
        Operator operator = Operator.of(ctx);
        WorkOrderRequest request;
        try {
            request = parse(ctx.body(), clock.instant(), "user:" + operator.username());
        } catch (BadRequest e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        WorkOrder order = orders.submit(request);
        try (Connection connection = database.connect()) {
            AuditLog.record(connection, clock.instant(), operator.username(), "workorder.submit", request.serial(),
                    request.kind() + " " + order.correlationId() + " " + order.state());
        }
        ctx.status(201).json(view(order));
    }

    private void one(Context ctx) throws SQLException {
        String correlationId = ctx.pathParam("correlationId");
        var order = orders.find(correlationId);
        if (order.isEmpty()) {
            error(ctx, 404, "no work order " + correlationId);
            return;
        }
        ctx.json(view(order.get()));
    }

    private void list(Context ctx) throws SQLException {
        String serial = blankToNull(ctx.queryParam("serial"));
        String stateText = blankToNull(ctx.queryParam("state"));
        OrderState state = null;
        if (stateText != null) {
            try {
                state = OrderState.valueOf(stateText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                error(ctx, 400, "state: must be one of " + Arrays.toString(OrderState.values()) + ", not '"
                        + stateText + "'");
                return;
            }
        }
        int limit = QueryParameters.limit(ctx, MAX_LIMIT, DEFAULT_LIMIT);
        ctx.json(orders.list(serial, state, limit).stream().map(WorkOrderRoutes::view).toList());
    }

    /** Reads an order body: {@code serial, kind, argument?, priority?, expiresInSeconds?}. */
    static WorkOrderRequest parse(String body, Instant now, String origin) throws BadRequest {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("body: not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest("body: a JSON object {serial, kind, argument?, priority?, expiresInSeconds?}");
        }
        for (var names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!List.of("serial", "kind", "argument", "priority", "expiresInSeconds").contains(name)) {
                throw new BadRequest(name + ": unknown field");
            }
        }
        JsonNode serialNode = root.get("serial");
        if (serialNode == null || !serialNode.isTextual() || serialNode.asText().isBlank()
                || serialNode.asText().length() > 64) {
            throw new BadRequest("serial: required, a meter serial of 1 to 64 characters");
        }
        TaskKind kind = enumField(root, "kind", TaskKind.class, null);
        Priority priority = enumField(root, "priority", Priority.class, Priority.HIGH);
        long argument = wholeNumber(root, "argument", 0, 0, Long.MAX_VALUE);
        if (kind == TaskKind.SET_POWER_LIMIT && argument <= 0) {
            throw new BadRequest("argument: SET_POWER_LIMIT needs the limit in watts (> 0)");
        }
        if ((kind == TaskKind.READ_PROFILE || kind == TaskKind.READ_EVENTS) && argument <= 0) {
            argument = Duration.ofDays(1).toSeconds(); // the look-back of an on-demand profile or event read
        }
        long expiresIn = wholeNumber(root, "expiresInSeconds", DEFAULT_EXPIRY_SECONDS, 1, MAX_EXPIRY_SECONDS);
        return new WorkOrderRequest(serialNode.asText().strip(), kind, argument, priority, now,
                now.plusSeconds(expiresIn), ON_DEMAND_RETRY, origin, null);
    }

    private static <E extends Enum<E>> E enumField(JsonNode root, String field, Class<E> type, E fallback)
            throws BadRequest {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (fallback == null) {
                throw new BadRequest(field + ": required, one of " + Arrays.toString(type.getEnumConstants()));
            }
            return fallback;
        }
        try {
            if (!node.isTextual()) {
                throw new IllegalArgumentException();
            }
            return Enum.valueOf(type, node.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(field + ": must be one of " + Arrays.toString(type.getEnumConstants()) + ", not "
                    + node);
        }
    }

    private static long wholeNumber(JsonNode root, String field, long fallback, long min, long max)
            throws BadRequest {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw new BadRequest(field + ": a whole number from " + min + " to " + max + ", not " + node);
        }
        return node.asLong();
    }

    /** The order as the dashboard reads it: instants as ISO-8601, values as strings with every digit. */
    static Map<String, Object> view(WorkOrder order) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("correlationId", order.correlationId());
        json.put("serial", order.serial());
        json.put("gatewayId", order.gatewayId());
        json.put("kind", order.kind() == null ? null : order.kind().name());
        json.put("argument", order.argument());
        json.put("priority", order.priority() == null ? null : order.priority().name());
        json.put("state", order.state().name());
        json.put("reason", order.reason());
        json.put("origin", order.origin());
        json.put("planId", order.planId());
        json.put("attempts", order.attempts());
        json.put("createdAt", text(order.createdAt()));
        json.put("expiresAt", text(order.expiresAt()));
        json.put("completedAt", text(order.completedAt()));
        json.put("registers", order.registers().stream().map(WorkOrderRoutes::view).toList());
        json.put("supply", order.supplyState() == null ? null : Map.of("relayClosed",
                order.supplyState().relayClosed(), "controlState", order.supplyState().controlState()));
        return json;
    }

    private static Map<String, Object> view(RegisterReading register) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("obis", register.obis());
        json.put("unit", register.unit());
        json.put("value", register.value().toPlainString());
        json.put("captureTime", text(register.captureTime()));
        json.put("readAt", text(register.readAt()));
        return json;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", message));
    }
}

package org.medida.central.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.medida.central.db.Database;
import org.medida.central.web.AuditLog;
import org.medida.central.web.FeatureRoutes;
import org.medida.central.web.Operator;
import org.medida.central.web.QueryParameters;
import org.medida.central.web.Role;

/**
 * The HTTP API of events and alarms: {@code GET /api/events?serial=&gateway=&from=&to=&limit=} (newest first),
 * {@code GET /api/alarms?open=&limit=}, {@code POST /api/alarms/{id}/acknowledge} (technical staff, audited),
 * {@code GET /api/alarm-rules}, {@code PUT /api/alarm-rules} (admins: replaces the set, audited) and the heatmap
 * data {@code GET /api/gateways/{id}/missing?from=&to=} (days, UTC). A bad parameter or body is a 400
 * {@code {"error": ...}} naming it.
 */
public final class EventRoutes implements FeatureRoutes {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_HEATMAP_DAYS = 7;
    static final int MAX_HEATMAP_DAYS = 62;

    private static final ObjectMapper BODIES = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final Database database;
    private final MissingIntervals missingIntervals;
    private final Clock clock;

    /** A rule as a body gives it: boxed, so a missing field is told apart from false or 0. */
    record RuleBody(String source, Integer code, String severity, Boolean enabled) {
    }

    record MeterDays(String serial, Map<String, Integer> days) {
    }

    record Missing(String gatewayId, String from, String to, List<MeterDays> meters) {
    }

    /** A request central cannot take: answered {@code status} with {@code {"error": message}}. */
    static final class ApiError extends RuntimeException {
        private final int status;

        ApiError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    public EventRoutes(Database database, MissingIntervals missingIntervals, Clock clock) {
        this.database = database;
        this.missingIntervals = missingIntervals;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/events", this::events, Role.SUPPORT);
        routes.get("/api/alarms", this::alarms, Role.SUPPORT);
        routes.post("/api/alarms/{id}/acknowledge", this::acknowledge, Role.TECHNICAL);
        routes.get("/api/alarm-rules", this::rules, Role.SUPPORT);
        routes.put("/api/alarm-rules", this::replaceRules, Role.ADMIN);
        routes.get("/api/gateways/{id}/missing", this::missing, Role.SUPPORT);
        routes.exception(ApiError.class, (e, ctx) -> ctx.status(e.status).json(Map.of("error", e.getMessage())));
    }

    private void events(Context ctx) throws SQLException {
        EventQueries.EventFilter filter = new EventQueries.EventFilter(ctx.queryParam("serial"),
                ctx.queryParam("gateway"), QueryParameters.instant(ctx, "from", null),
                QueryParameters.instant(ctx, "to", null), limit(ctx));
        if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
            throw new ApiError(400, "'from' (" + filter.from() + ") must be before 'to' (" + filter.to() + ")");
        }
        try (Connection connection = database.connect()) {
            ctx.json(new EventQueries(connection).events(filter));
        }
    }

    private void alarms(Context ctx) throws SQLException {
        String open = ctx.queryParam("open");
        if (open != null && !open.equals("true") && !open.equals("false")) {
            throw new ApiError(400, "'open' must be true or false: " + open);
        }
        try (Connection connection = database.connect()) {
            ctx.json(new EventQueries(connection).alarms("true".equals(open), limit(ctx)));
        }
    }

    private void acknowledge(Context ctx) throws SQLException {
        long id = id(ctx);
        Operator operator = Operator.of(ctx);
        Instant now = clock.instant();
        EventQueries.Alarm acknowledged = database.inTransaction(connection -> {
            EventQueries queries = new EventQueries(connection);
            if (!queries.acknowledge(id, operator.username(), now)) {
                EventQueries.Alarm alarm = queries.alarm(id)
                        .orElseThrow(() -> new ApiError(404, "no alarm " + id));
                throw new ApiError(409, "alarm " + id + " was acknowledged by " + alarm.acknowledgedBy() + " at "
                        + alarm.acknowledgedAt());
            }
            EventQueries.Alarm alarm = queries.alarm(id).orElseThrow();
            AuditLog.record(connection, now, operator.username(), "alarm.acknowledge", "alarm " + id,
                    alarm.event().name() + (alarm.event().serial() == null ? "" : " of " + alarm.event().serial()));
            return alarm;
        });
        ctx.json(acknowledged);
    }

    private void rules(Context ctx) throws SQLException {
        try (Connection connection = database.connect()) {
            ctx.json(AlarmRules.list(connection));
        }
    }

    private void replaceRules(Context ctx) throws SQLException {
        List<AlarmRule> rules = parseRules(ctx.body());
        Operator operator = Operator.of(ctx);
        Instant now = clock.instant();
        ctx.json(database.inTransaction(connection -> {
            AlarmRules.replace(connection, rules);
            AuditLog.record(connection, now, operator.username(), "alarm-rules.replace", "alarm rules",
                    rules.size() + " rules, " + rules.stream().filter(AlarmRule::enabled).count() + " enabled");
            return AlarmRules.list(connection);
        }));
    }

    /** The rules of a PUT body, each field checked; an empty set is refused (disable rules instead). */
    static List<AlarmRule> parseRules(String body) {
        RuleBody[] bodies;
        try {
            bodies = BODIES.readValue(body, RuleBody[].class);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "body must be a JSON array of {source, code, severity, enabled}: "
                    + e.getOriginalMessage());
        }
        if (bodies == null || bodies.length == 0) {
            throw new ApiError(400, "body has no rules: disable rules instead of removing them all");
        }
        List<AlarmRule> rules = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < bodies.length; i++) {
            RuleBody rule = bodies[i];
            String at = "rule " + i + ": ";
            if (rule == null) {
                throw new ApiError(400, at + "is null");
            }
            if (rule.source() == null || !EventSource.ALL.contains(rule.source())) {
                throw new ApiError(400, at + "'source' must be one of " + new TreeSet<>(EventSource.ALL)
                        + ": " + rule.source());
            }
            if (rule.code() == null || rule.code() < AlarmRule.ANY_CODE) {
                throw new ApiError(400, at + "'code' must be an event code, or -1 for every code: " + rule.code());
            }
            if (rule.severity() == null || !AlarmRule.SEVERITIES.contains(rule.severity())) {
                throw new ApiError(400, at + "'severity' must be one of critical, major, minor: " + rule.severity());
            }
            if (rule.enabled() == null) {
                throw new ApiError(400, at + "'enabled' is missing");
            }
            if (!seen.add(rule.source() + "/" + rule.code())) {
                throw new ApiError(400, at + "a second rule for source " + rule.source() + " code " + rule.code());
            }
            rules.add(new AlarmRule(rule.source(), rule.code(), rule.severity(), rule.enabled()));
        }
        return rules;
    }

    private void missing(Context ctx) throws SQLException {
        String gatewayId = ctx.pathParam("id");
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate to = QueryParameters.day(ctx, "to", today);
        LocalDate from = QueryParameters.day(ctx, "from", to.minusDays(DEFAULT_HEATMAP_DAYS - 1));
        if (from.isAfter(to)) {
            throw new ApiError(400, "'from' (" + from + ") is after 'to' (" + to + ")");
        }
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_HEATMAP_DAYS) {
            throw new ApiError(400, "at most " + MAX_HEATMAP_DAYS + " days per request, asked for "
                    + (ChronoUnit.DAYS.between(from, to) + 1));
        }
        if (!gatewayExists(gatewayId)) {
            throw new ApiError(404, "no gateway " + gatewayId);
        }
        List<MeterDays> meters = new ArrayList<>();
        missingIntervals.perMeterPerDay(gatewayId, from, to).forEach((serial, days) -> {
            Map<String, Integer> byDay = new LinkedHashMap<>();
            days.forEach((day, count) -> byDay.put(day.toString(), count.missing()));
            meters.add(new MeterDays(serial, byDay));
        });
        ctx.json(new Missing(gatewayId, from.toString(), to.toString(), meters));
    }

    private boolean gatewayExists(String gatewayId) throws SQLException {
        try (Connection connection = database.connect();
                var select = connection.prepareStatement("SELECT 1 FROM gateways WHERE gateway_id = ?")) {
            select.setString(1, gatewayId);
            try (var rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static long id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ApiError(400, "alarm id must be a number: " + text);
        }
    }

    private static int limit(Context ctx) {
        return QueryParameters.limit(ctx, MAX_LIMIT, DEFAULT_LIMIT);
    }
}

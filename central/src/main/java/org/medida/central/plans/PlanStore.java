package org.medida.central.plans;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medida.central.workorders.RetryPolicy;
import org.medida.edge.api.TaskKind;

/**
 * The SQL of plans, their per-meter progress and their deliveries, on the caller's connection and transaction.
 * Days are ISO dates (TEXT, so they sort), windows "HH:MM", kinds and list targets comma-separated.
 */
final class PlanStore {

    static final String WAITING = "WAITING";
    static final String RUNNING = "RUNNING";

    private static final String PLAN_COLUMNS = "plan_id, name, target_kind, target, kinds, first_day, last_day, "
            + "window_start, window_end, max_attempts, retry_after_seconds, state, created_by, created_at";
    private static final String ADD_METERS = "INSERT INTO plan_meters (plan_id, day, serial, state, updated_at) ";
    private static final String PROGRESS_COLUMNS = "day, serial, state, reason, correlation_id, attempts, step, "
            + "updated_at";

    /** A meter as the validation of a plan sees it. */
    record TargetMeter(String serial, String state, String capabilities) {
    }

    /** A meter waiting for its next order, with the gateway that paces it (null for point to point). */
    record Waiting(LocalDate day, String serial, String gatewayId, int step) {
    }

    /** A meter whose order is out. */
    record Running(LocalDate day, String serial, int step, String outcome, String reason, int attempts) {
    }

    /** An order out for a meter of a plan's day. */
    record Order(long planId, LocalDate day, String correlationId) {
    }

    /** A delivery as the API lists it. */
    record Delivery(long id, String correlationId, String payload, int attempts, Instant deliveredAt,
            String lastError) {
    }

    private PlanStore() {
    }

    /**
     * Stores a new ACTIVE plan and returns its id, found again by name, creator and time in the same transaction
     * (portable: no RETURNING), where no other plan of that name, creator and millisecond can be.
     */
    static long insert(Connection connection, PlanDefinition plan, String createdBy, Instant now)
            throws SQLException {
        update(connection, "INSERT INTO plans (name, target_kind, target, kinds, first_day, last_day, window_start, "
                + "window_end, max_attempts, retry_after_seconds, daily, state, created_by, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", plan.name(), plan.target().kind().code(),
                plan.target().value(), String.join(",", plan.kinds().stream().map(Enum::name).toList()),
                plan.firstDay().toString(), plan.lastDay() == null ? null : plan.lastDay().toString(),
                PlanFormat.time(plan.windowStart()), PlanFormat.time(plan.windowEnd()), plan.retry().maxAttempts(),
                plan.retry().retryAfter().toSeconds(), plan.daily() ? 1 : 0, PlanState.ACTIVE.name(), createdBy,
                now.toEpochMilli());
        try (PreparedStatement select = prepare(connection, "SELECT MAX(plan_id) FROM plans WHERE name = ? "
                + "AND created_by = ? AND created_at = ?", plan.name(), createdBy, now.toEpochMilli());
                ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static Optional<Plan> find(Connection connection, long id) throws SQLException {
        List<Plan> plans = plans(connection, "WHERE plan_id = ?", id);
        return plans.stream().findFirst();
    }

    static Optional<Plan> findByName(Connection connection, String name) throws SQLException {
        return plans(connection, "WHERE name = ? ORDER BY plan_id", name).stream().findFirst();
    }

    static List<Plan> all(Connection connection) throws SQLException {
        return plans(connection, "ORDER BY plan_id");
    }

    static List<Plan> active(Connection connection) throws SQLException {
        return plans(connection, "WHERE state = ? ORDER BY plan_id", PlanState.ACTIVE.name());
    }

    static void setState(Connection connection, long id, PlanState state) throws SQLException {
        update(connection, "UPDATE plans SET state = ? WHERE plan_id = ?", state.name(), id);
    }

    private static List<Plan> plans(Connection connection, String where, Object... parameters) throws SQLException {
        List<Plan> plans = new ArrayList<>();
        try (PreparedStatement select = prepare(connection, "SELECT " + PLAN_COLUMNS + " FROM plans " + where,
                parameters); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String lastDay = rows.getString(7);
                PlanDefinition definition = new PlanDefinition(rows.getString(2),
                        new PlanTarget(PlanTarget.Kind.ofCode(rows.getString(3)), rows.getString(4)),
                        Arrays.stream(rows.getString(5).split(",")).map(TaskKind::valueOf).toList(),
                        LocalDate.parse(rows.getString(6)), lastDay == null ? null : LocalDate.parse(lastDay),
                        LocalTime.parse(rows.getString(8)), LocalTime.parse(rows.getString(9)),
                        new RetryPolicy(rows.getInt(10), Duration.ofSeconds(rows.getLong(11))));
                plans.add(new Plan(rows.getLong(1), definition, PlanState.valueOf(rows.getString(12)),
                        rows.getString(13), Instant.ofEpochMilli(rows.getLong(14))));
            }
        }
        return plans;
    }

    // ---- the meters of a target

    static boolean gatewayExists(Connection connection, String gatewayId) throws SQLException {
        try (PreparedStatement select = prepare(connection, "SELECT 1 FROM gateways WHERE gateway_id = ?", gatewayId);
                ResultSet rows = select.executeQuery()) {
            return rows.next();
        }
    }

    /**
     * The meters of {@code target} as it stands: for a list every listed meter that exists, whatever its state;
     * for the others the commissioned meters.
     */
    static List<TargetMeter> targetMeters(Connection connection, PlanTarget target) throws SQLException {
        String select = "SELECT m.serial, m.state, m.capabilities FROM meters m ";
        return switch (target.kind()) {
            case LIST -> {
                List<TargetMeter> meters = new ArrayList<>();
                for (String serial : target.serials()) {
                    meters.addAll(targetMeters(connection, select + "WHERE m.serial = ?", serial));
                }
                yield meters;
            }
            case GATEWAY -> targetMeters(connection, select + "WHERE m.state = 'commissioned' AND m.gateway_id = ? "
                    + "ORDER BY m.serial", target.value());
            case GROUP -> targetMeters(connection, select + "JOIN meter_groups g ON g.meter_id = m.meter_id "
                    + "WHERE m.state = 'commissioned' AND g.group_name = ? ORDER BY m.serial", target.value());
            case ALL -> targetMeters(connection, select + "WHERE m.state = 'commissioned' ORDER BY m.serial");
        };
    }

    private static List<TargetMeter> targetMeters(Connection connection, String sql, Object... parameters)
            throws SQLException {
        List<TargetMeter> meters = new ArrayList<>();
        try (PreparedStatement select = prepare(connection, sql, parameters); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                meters.add(new TargetMeter(rows.getString(1), rows.getString(2), rows.getString(3)));
            }
        }
        return meters;
    }

    /**
     * Adds the meters of the plan's target on {@code day} as WAITING, those already there left as they are: a meter
     * commissioned during the day joins the plan at the next round.
     */
    static void addMeters(Connection connection, Plan plan, LocalDate day, Instant now) throws SQLException {
        PlanTarget target = plan.definition().target();
        String values = "SELECT ?, ?, m.serial, 'WAITING', ? FROM meters m ";
        String commissioned = "m.state = 'commissioned' ";
        switch (target.kind()) {
            case LIST -> {
                try (PreparedStatement insert = connection.prepareStatement(ADD_METERS
                        + "VALUES (?, ?, ?, 'WAITING', ?) ON CONFLICT DO NOTHING")) {
                    for (String serial : target.serials()) {
                        bind(insert, plan.id(), day.toString(), serial, now.toEpochMilli());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            case GATEWAY -> update(connection, ADD_METERS + values + "WHERE " + commissioned
                    + "AND m.gateway_id = ? ON CONFLICT DO NOTHING", plan.id(), day.toString(), now.toEpochMilli(),
                    target.value());
            case GROUP -> update(connection, ADD_METERS + values + "JOIN meter_groups g ON g.meter_id = m.meter_id "
                    + "WHERE " + commissioned + "AND g.group_name = ? ON CONFLICT DO NOTHING", plan.id(),
                    day.toString(), now.toEpochMilli(), target.value());
            case ALL -> update(connection, ADD_METERS + values + "WHERE " + commissioned + "ON CONFLICT DO NOTHING",
                    plan.id(), day.toString(), now.toEpochMilli());
        }
    }

    // ---- progress

    static List<LocalDate> daysWaiting(Connection connection, long planId) throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (PreparedStatement select = prepare(connection, "SELECT DISTINCT day FROM plan_meters "
                + "WHERE plan_id = ? AND state = ? ORDER BY day", planId, WAITING);
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                days.add(LocalDate.parse(rows.getString(1)));
            }
        }
        return days;
    }

    static List<Waiting> waiting(Connection connection, long planId, LocalDate day) throws SQLException {
        List<Waiting> waiting = new ArrayList<>();
        try (PreparedStatement select = prepare(connection, "SELECT p.serial, m.gateway_id, p.step "
                + "FROM plan_meters p LEFT JOIN meters m ON m.serial = p.serial "
                + "WHERE p.plan_id = ? AND p.day = ? AND p.state = ? ORDER BY p.serial", planId, day.toString(),
                WAITING); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                waiting.add(new Waiting(day, rows.getString(1), rows.getString(2), rows.getInt(3)));
            }
        }
        return waiting;
    }

    /** Orders out per gateway, over every plan ("" for point-to-point and unknown meters). */
    static Map<String, Integer> runningPerGateway(Connection connection) throws SQLException {
        Map<String, Integer> running = new HashMap<>();
        try (PreparedStatement select = prepare(connection, "SELECT m.gateway_id, COUNT(*) FROM plan_meters p "
                + "LEFT JOIN meters m ON m.serial = p.serial WHERE p.state = ? GROUP BY m.gateway_id", RUNNING);
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                running.merge(PlanRunner.pacingKey(rows.getString(1)), rows.getInt(2), Integer::sum);
            }
        }
        return running;
    }

    static void markRunning(Connection connection, long planId, LocalDate day, String serial, String correlationId,
            Instant now) throws SQLException {
        update(connection, "UPDATE plan_meters SET state = ?, correlation_id = ?, updated_at = ? "
                + "WHERE plan_id = ? AND day = ? AND serial = ?", RUNNING, correlationId, now.toEpochMilli(), planId,
                day.toString(), serial);
    }

    static Optional<Running> running(Connection connection, long planId, String correlationId) throws SQLException {
        try (PreparedStatement select = prepare(connection, "SELECT day, serial, step, outcome, reason, attempts "
                + "FROM plan_meters WHERE plan_id = ? AND correlation_id = ? AND state = ?", planId, correlationId,
                RUNNING); ResultSet rows = select.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            return Optional.of(new Running(LocalDate.parse(rows.getString(1)), rows.getString(2), rows.getInt(3),
                    rows.getString(4), rows.getString(5), rows.getInt(6)));
        }
    }

    /** The orders out, of every plan. */
    static List<Order> runningOrders(Connection connection) throws SQLException {
        List<Order> orders = new ArrayList<>();
        try (PreparedStatement select = prepare(connection, "SELECT plan_id, day, correlation_id FROM plan_meters "
                + "WHERE state = ?", RUNNING); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                orders.add(new Order(rows.getLong(1), LocalDate.parse(rows.getString(2)), rows.getString(3)));
            }
        }
        return orders;
    }

    /** Moves a meter on: to its next step (state WAITING) or to its final state. */
    static void advance(Connection connection, long planId, LocalDate day, String serial, String state, int step,
            String outcome, String reason, int attempts, Instant now) throws SQLException {
        update(connection, "UPDATE plan_meters SET state = ?, step = ?, outcome = ?, reason = ?, attempts = ?, "
                + "updated_at = ? WHERE plan_id = ? AND day = ? AND serial = ?", state, step, outcome, reason,
                attempts, now.toEpochMilli(), planId, day.toString(), serial);
    }

    /** The WAITING meters of a plan's day, with the step and outcome they have reached. */
    static List<Running> waitingWithOutcome(Connection connection, long planId, LocalDate day) throws SQLException {
        List<Running> waiting = new ArrayList<>();
        try (PreparedStatement select = prepare(connection, "SELECT serial, step, outcome, reason, attempts "
                + "FROM plan_meters WHERE plan_id = ? AND day = ? AND state = ? ORDER BY serial", planId,
                day.toString(), WAITING); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                waiting.add(new Running(day, rows.getString(1), rows.getInt(2), rows.getString(3), rows.getString(4),
                        rows.getInt(5)));
            }
        }
        return waiting;
    }

    static long unfinished(Connection connection, long planId) throws SQLException {
        try (PreparedStatement select = prepare(connection, "SELECT COUNT(*) FROM plan_meters WHERE plan_id = ? "
                + "AND state IN (?, ?)", planId, WAITING, RUNNING); ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The latest day the plan has meters on, if any. */
    static Optional<LocalDate> latestDay(Connection connection, long planId) throws SQLException {
        try (PreparedStatement select = prepare(connection, "SELECT MAX(day) FROM plan_meters WHERE plan_id = ?",
                planId); ResultSet rows = select.executeQuery()) {
            rows.next();
            return Optional.ofNullable(rows.getString(1)).map(LocalDate::parse);
        }
    }

    /** Meters per state on {@code day}: waiting, running, exe, warn, fail, each present. */
    static Map<String, Long> counts(Connection connection, long planId, LocalDate day) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String state : List.of(WAITING, RUNNING, "EXE", "WARN", "FAIL")) {
            counts.put(state.toLowerCase(java.util.Locale.ROOT), 0L);
        }
        try (PreparedStatement select = prepare(connection, "SELECT state, COUNT(*) FROM plan_meters "
                + "WHERE plan_id = ? AND day = ? GROUP BY state", planId, day.toString());
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                counts.put(rows.getString(1).toLowerCase(java.util.Locale.ROOT), rows.getLong(2));
            }
        }
        return counts;
    }

    static List<MeterProgress> meters(Connection connection, long planId, LocalDate day) throws SQLException {
        List<MeterProgress> meters = new ArrayList<>();
        try (PreparedStatement select = prepare(connection, "SELECT " + PROGRESS_COLUMNS + " FROM plan_meters "
                + "WHERE plan_id = ? AND day = ? ORDER BY serial", planId, day.toString());
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                meters.add(new MeterProgress(LocalDate.parse(rows.getString(1)), rows.getString(2),
                        rows.getString(3), rows.getString(4), rows.getString(5), rows.getInt(6), rows.getInt(7),
                        Instant.ofEpochMilli(rows.getLong(8))));
            }
        }
        return meters;
    }

    // ---- deliveries

    /** Queues a result for the external system, due at once. */
    static void queueDelivery(Connection connection, String correlationId, long planId, String payload, Instant now)
            throws SQLException {
        update(connection, "INSERT INTO deliveries (correlation_id, plan_id, payload, next_attempt_at) "
                + "VALUES (?, ?, ?, ?)", correlationId, planId, payload, now.toEpochMilli());
    }

    /** A plan's results after delivery {@code after}, oldest first. */
    static List<Delivery> results(Connection connection, long planId, long after, int limit) throws SQLException {
        List<Delivery> deliveries = new ArrayList<>();
        try (PreparedStatement select = prepare(connection, "SELECT delivery_id, correlation_id, payload, attempts, "
                + "delivered_at, last_error FROM deliveries WHERE plan_id = ? AND delivery_id > ? "
                + "ORDER BY delivery_id LIMIT ?", planId, after, limit); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long deliveredAt = rows.getLong(5);
                deliveries.add(new Delivery(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getInt(4),
                        rows.wasNull() ? null : Instant.ofEpochMilli(deliveredAt), rows.getString(6)));
            }
        }
        return deliveries;
    }

    // ---- JDBC

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            bind(statement, parameters);
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    /** Binds parameters in order; a null as a NULL of unspecified type, which both databases take. */
    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == null) {
                statement.setNull(i + 1, Types.NULL);
            } else {
                statement.setObject(i + 1, parameters[i]);
            }
        }
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }
}

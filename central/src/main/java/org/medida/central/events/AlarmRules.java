package org.medida.central.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which events raise alarms (R5: configurable), in {@code alarm_rules}. The defaults are seeded on the first start
 * only; afterwards the rules are the administrator's ({@code PUT /api/alarm-rules} replaces the set).
 */
public final class AlarmRules {

    /**
     * Tampering, disconnector failures, a gateway gone or losing data, meters not answering: alarms. A power
     * failure is an event, not an alarm (a storm makes thousands); a gap the meter can no longer fill is minor.
     */
    static final List<AlarmRule> DEFAULTS = List.of(
            new AlarmRule(EventSource.METER_LOG, 1, "minor", false),
            new AlarmRule(EventSource.METER_LOG, 40, "major", true),
            new AlarmRule(EventSource.METER_LOG, 42, "major", true),
            new AlarmRule(EventSource.METER_LOG, 44, "major", true),
            new AlarmRule(EventSource.METER_LOG, 46, "minor", true),
            new AlarmRule(EventSource.METER_LOG, 49, "major", true),
            new AlarmRule(EventSource.METER_LOG, 50, "critical", true),
            new AlarmRule(EventSource.METER_LOG, 68, "major", true),
            new AlarmRule(EventSource.STATUS_WORD, 0x01, "major", true),
            rule(EventType.METER_NOT_RESPONDING, "minor"),
            rule(EventType.METER_UNREACHABLE, "minor"),
            rule(EventType.GATEWAY_OFFLINE, "major"),
            rule(EventType.DATA_DROPPED, "major"),
            rule(EventType.UNRECOVERABLE_GAP, "minor"));

    private static final String SELECT = "SELECT source, code, severity, enabled FROM alarm_rules ORDER BY source, code";
    private static final String INSERT = "INSERT INTO alarm_rules (source, code, severity, enabled) VALUES (?, ?, ?, ?)";

    private final Map<String, AlarmRule> byKey = new HashMap<>();

    private AlarmRules(List<AlarmRule> rules) {
        rules.forEach(rule -> byKey.put(key(rule.source(), rule.code()), rule));
    }

    private static AlarmRule rule(EventType type, String severity) {
        return new AlarmRule(type.source(), type.code(), severity, true);
    }

    /** Seeds the default rules if there are none yet (the first start). */
    public static void seedIfEmpty(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM alarm_rules")) {
            rows.next();
            if (rows.getLong(1) == 0) {
                insert(connection, DEFAULTS);
            }
        }
    }

    /** The rules as they stand. */
    public static List<AlarmRule> list(Connection connection) throws SQLException {
        List<AlarmRule> rules = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(SELECT)) {
            while (rows.next()) {
                rules.add(new AlarmRule(rows.getString(1), rows.getInt(2), rows.getString(3), rows.getInt(4) == 1));
            }
        }
        return rules;
    }

    /** Replaces every rule with {@code rules}, in the caller's transaction. */
    public static void replace(Connection connection, List<AlarmRule> rules) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM alarm_rules");
        }
        insert(connection, rules);
    }

    /** The rules, loaded for matching events. */
    static AlarmRules load(Connection connection) throws SQLException {
        return new AlarmRules(list(connection));
    }

    /** The severity of the alarm {@code event} raises, or empty if it raises none. */
    Optional<String> alarmFor(CentralEvent event) {
        AlarmRule rule = byKey.get(key(event.source(), event.code()));
        if (rule == null) {
            rule = byKey.get(key(event.source(), AlarmRule.ANY_CODE));
        }
        return rule != null && rule.enabled() ? Optional.of(rule.severity()) : Optional.empty();
    }

    private static void insert(Connection connection, List<AlarmRule> rules) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (AlarmRule rule : rules) {
                insert.setString(1, rule.source());
                insert.setInt(2, rule.code());
                insert.setString(3, rule.severity());
                insert.setInt(4, rule.enabled() ? 1 : 0);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static String key(String source, int code) {
        return source + '/' + code;
    }
}

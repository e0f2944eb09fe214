package org.medida.central.provisioning;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.medida.central.db.Database;
import org.medida.central.web.Queries;

/**
 * The inventory as the HTTP API shows it: gateways and meters with everything but secrets. Times are ISO-8601
 * strings. The fields of the earlier read-only view ({@code /api/gateways}, {@code /api/meters}: counts and last
 * values) come first, so its clients keep working.
 */
public final class ProvisioningQueries {

    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 5_000;

    public record GatewayView(String id, boolean online, Long session, String statusAt, String lastSeen,
            String software, String hardwareType, String hardwareSerial, String substation, String transformer,
            String timezone, String commType, String ip, String state, String addedAt, long meters) {
    }

    public record GatewayDetail(GatewayView gateway, List<String> meters, List<ChangeView> inventoryChanges) {
    }

    public record UsagePointView(String pod, String address, String linkedAt, String unlinkedAt) {
    }

    public record MeterView(String serial, String gateway, String firstSeen, long intervalValues, long readings,
            long events, List<LastValueView> lastValues, String state, String stateSince, String meterType,
            String manufacturer, String firmware, String connection, String transport, String host, int port,
            int logicalDevice, int physicalAddress, String channel, String security, boolean hasSecrets,
            List<String> capabilities, Boolean reachable, String lastSuccess, String lastFailure,
            String lastFailureReason, String contractProfile, String contractState, String tariffProfile,
            Boolean relayClosed, UsagePointView usagePoint, List<String> groups) {
    }

    /** The last value of a register or interval channel, as the earlier view showed it. */
    public record LastValueView(String readingType, String description, String at, BigDecimal value) {
    }

    public record ChangeView(String correlationId, String gatewayId, String serial, String action, String state,
            String detail, String requestedAt, String sentAt, String confirmedAt) {
    }

    public record MeterDetail(MeterView meter, List<UsagePointView> usagePoints, List<ChangeView> inventoryChanges) {
    }

    /** Filters of the meter list; null for none. */
    public record MeterFilter(String text, String gatewayId, String state, int limit) {
    }

    private static final String GATEWAY_COLUMNS = "g.gateway_id, g.online, g.session, g.status_at, g.last_seen, "
            + "g.software, g.hardware_type, g.hardware_serial, g.substation, g.transformer, g.timezone, g.comm_type, "
            + "g.ip, g.state, g.added_at, (SELECT COUNT(*) FROM meters m WHERE m.gateway_id = g.gateway_id) "
            + "FROM gateways g";
    private static final String METER_COLUMNS = """
            SELECT m.meter_id, m.serial, m.gateway_id, m.first_seen,
              (SELECT COUNT(*) FROM interval_values v WHERE v.meter_id = m.meter_id),
              (SELECT COUNT(*) FROM readings r WHERE r.meter_id = m.meter_id),
              (SELECT COUNT(*) FROM events e WHERE e.meter_id = m.meter_id),
              m.state, m.state_since, m.meter_type, m.manufacturer, m.firmware, m.connection, m.transport, m.host,
              m.port, m.logical_device, m.physical_address, m.channel, m.security, m.secrets_encrypted,
              m.capabilities, m.reachable, m.last_success, m.last_failure, m.last_failure_reason,
              m.contract_profile, m.contract_state, m.tariff_profile, m.relay_closed
            FROM meters m""";
    private static final String CHANGE_COLUMNS = "SELECT correlation_id, gateway_id, serial, action, state, detail, "
            + "requested_at, sent_at, confirmed_at FROM inventory_changes ";

    private final Database database;

    public ProvisioningQueries(Database database) {
        this.database = database;
    }

    public List<GatewayView> gateways() throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement("SELECT " + GATEWAY_COLUMNS
                        + " ORDER BY g.gateway_id")) {
            return gateways(select);
        }
    }

    public Optional<GatewayDetail> gateway(String id) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement("SELECT " + GATEWAY_COLUMNS
                        + " WHERE g.gateway_id = ?")) {
            select.setString(1, id);
            List<GatewayView> found = gateways(select);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            List<String> meters = new ArrayList<>();
            try (PreparedStatement serials = connection.prepareStatement(
                    "SELECT serial FROM meters WHERE gateway_id = ? ORDER BY serial")) {
                serials.setString(1, id);
                try (ResultSet rows = serials.executeQuery()) {
                    while (rows.next()) {
                        meters.add(rows.getString(1));
                    }
                }
            }
            return Optional.of(new GatewayDetail(found.get(0), meters,
                    changes(connection, "WHERE gateway_id = ? ORDER BY requested_at DESC", id)));
        }
    }

    private static List<GatewayView> gateways(PreparedStatement select) throws SQLException {
        List<GatewayView> gateways = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                gateways.add(new GatewayView(rows.getString(1), rows.getInt(2) == 1, nullableLong(rows, 3),
                        time(rows, 4), time(rows, 5), rows.getString(6), rows.getString(7), rows.getString(8),
                        rows.getString(9), rows.getString(10), rows.getString(11), rows.getString(12),
                        rows.getString(13), rows.getString(14), time(rows, 15), rows.getLong(16)));
            }
        }
        return gateways;
    }

    /** Meters matching {@code filter} (serial containing the text, gateway, state), in serial order. */
    public List<MeterView> meters(MeterFilter filter) throws SQLException {
        StringBuilder sql = new StringBuilder(METER_COLUMNS).append(" WHERE 1 = 1");
        List<String> values = new ArrayList<>();
        if (filter.text() != null && !filter.text().isBlank()) {
            sql.append(" AND LOWER(m.serial) LIKE ? ESCAPE '\\'");
            values.add("%" + filter.text().strip().toLowerCase(Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (filter.gatewayId() != null && !filter.gatewayId().isBlank()) {
            sql.append(" AND m.gateway_id = ?");
            values.add(filter.gatewayId());
        }
        if (filter.state() != null && !filter.state().isBlank()) {
            sql.append(" AND m.state = ?");
            values.add(filter.state());
        }
        sql.append(" ORDER BY m.serial LIMIT ").append(filter.limit());
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                select.setString(i + 1, values.get(i));
            }
            return meters(connection, select, new Queries(connection, database.dialect()));
        }
    }

    public Optional<MeterDetail> meter(String serial) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(METER_COLUMNS + " WHERE m.serial = ?")) {
            select.setString(1, serial);
            List<MeterView> found = meters(connection, select, new Queries(connection, database.dialect()));
            if (found.isEmpty()) {
                return Optional.empty();
            }
            List<UsagePointView> history = new ArrayList<>();
            try (PreparedStatement links = connection.prepareStatement("SELECT u.pod, u.address, l.linked_at, "
                    + "l.unlinked_at FROM meter_usage_points l JOIN usage_points u ON u.usage_point_id = "
                    + "l.usage_point_id JOIN meters m ON m.meter_id = l.meter_id WHERE m.serial = ? "
                    + "ORDER BY l.linked_at DESC")) {
                links.setString(1, serial);
                try (ResultSet rows = links.executeQuery()) {
                    while (rows.next()) {
                        history.add(new UsagePointView(rows.getString(1), rows.getString(2), time(rows, 3),
                                time(rows, 4)));
                    }
                }
            }
            return Optional.of(new MeterDetail(found.get(0), history,
                    changes(connection, "WHERE serial = ? ORDER BY requested_at DESC", serial)));
        }
    }

    private static List<MeterView> meters(Connection connection, PreparedStatement select, Queries queries)
            throws SQLException {
        List<MeterView> meters = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long meterId = rows.getLong(1);
                String capabilities = rows.getString(22);
                meters.add(new MeterView(rows.getString(2), rows.getString(3), time(rows, 4), rows.getLong(5),
                        rows.getLong(6), rows.getLong(7), lastValues(queries, meterId), rows.getString(8),
                        time(rows, 9), rows.getString(10), rows.getString(11), rows.getString(12), rows.getString(13),
                        rows.getString(14), rows.getString(15), rows.getInt(16), rows.getInt(17), rows.getInt(18),
                        rows.getString(19), rows.getString(20), !rows.getString(21).isEmpty(),
                        capabilities.isEmpty() ? List.of() : Arrays.asList(capabilities.split(",")),
                        nullableFlag(rows, 23), time(rows, 24), time(rows, 25), rows.getString(26), rows.getString(27),
                        rows.getString(28), rows.getString(29), nullableFlag(rows, 30),
                        usagePoint(connection, meterId), groups(connection, meterId)));
            }
        }
        return meters;
    }

    private static List<LastValueView> lastValues(Queries queries, long meterId) throws SQLException {
        List<LastValueView> views = new ArrayList<>();
        for (Queries.LastValue value : queries.lastValues(meterId)) {
            views.add(new LastValueView(value.readingType(), value.description(),
                    value.at() == null ? null : value.at().toString(), value.value()));
        }
        return views;
    }

    private static UsagePointView usagePoint(Connection connection, long meterId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT u.pod, u.address, l.linked_at "
                + "FROM meter_usage_points l JOIN usage_points u ON u.usage_point_id = l.usage_point_id "
                + "WHERE l.meter_id = ? AND l.unlinked_at IS NULL")) {
            select.setLong(1, meterId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new UsagePointView(row.getString(1), row.getString(2), time(row, 3), null) : null;
            }
        }
    }

    private static List<String> groups(Connection connection, long meterId) throws SQLException {
        List<String> groups = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT group_name FROM meter_groups WHERE meter_id = ? ORDER BY group_name")) {
            select.setLong(1, meterId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    groups.add(rows.getString(1));
                }
            }
        }
        return groups;
    }

    private static List<ChangeView> changes(Connection connection, String where, String value) throws SQLException {
        List<ChangeView> changes = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(CHANGE_COLUMNS + where + " LIMIT 100")) {
            select.setString(1, value);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    changes.add(new ChangeView(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6), time(rows, 7), time(rows, 8),
                            time(rows, 9)));
                }
            }
        }
        return changes;
    }

    private static String time(ResultSet rows, int column) throws SQLException {
        Long millis = nullableLong(rows, column);
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }

    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    private static Boolean nullableFlag(ResultSet rows, int column) throws SQLException {
        Long value = nullableLong(rows, column);
        return value == null ? null : value == 1;
    }
}

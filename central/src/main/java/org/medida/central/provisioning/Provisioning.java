package org.medida.central.provisioning;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.medida.central.db.Database;
import org.medida.central.gateways.Gateways;
import org.medida.central.web.AuditLog;

/**
 * The inventory an operator keeps (M1, M2, M3, M6, M7): gateways, meters with their DLMS addressing and sealed
 * secrets, usage points and which meter serves each over time, groups, contracts, and the lifecycle — commission,
 * decommission, relink. Every change is one transaction with its audit record; a change that must reach a gateway
 * is queued in {@link InventoryChanges} in the same transaction and confirmed later by the gateway. A point-to-point
 * meter has no gateway: its lifecycle changes at once.
 */
public final class Provisioning {

    private static final Set<String> CONTRACT_STATES = Set.of("active", "suspended", "ended");
    private static final int MAX_GROUP_MEMBERS = 10_000;
    /** Attempts of a transaction that lost the write lock, over about a second (20 ms more each time). */
    private static final int MAX_ATTEMPTS = 10;
    private static final long PAUSE_MILLIS = 20;
    private static final int SQLITE_BUSY = 5;

    private final Database database;
    private final Gateways gateways;
    private final SecretBox secrets;
    private final Runnable changesQueued;
    private final Clock clock;

    /**
     * @param changesQueued told after a commit that queued inventory changes ({@link InventoryChanges#wake})
     */
    public Provisioning(Database database, Gateways gateways, SecretBox secrets, Runnable changesQueued, Clock clock) {
        this.database = database;
        this.gateways = gateways;
        this.secrets = secrets;
        this.changesQueued = changesQueued;
        this.clock = clock;
    }

    /** What a lifecycle request did: the inventory changes queued for gateways, and the meter's state now. */
    public record Accepted(String serial, String state, List<String> correlationIds) {
    }

    /** Creates or updates a gateway's inventory record; central accepts its messages from now on. */
    public void saveGateway(GatewayRegistration registration, String user) throws ProvisioningException, SQLException {
        GatewayRegistration gateway = registration.validated();
        Instant now = clock.instant();
        gateways.register(database, List.of(gateway.id()), now);
        inTransaction((connection) -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE gateways SET hardware_type = ?, "
                    + "hardware_serial = ?, substation = ?, transformer = ?, timezone = ?, comm_type = ?, ip = ?, "
                    + "state = ? WHERE gateway_id = ?")) {
                update.setString(1, gateway.hardwareType());
                update.setString(2, gateway.hardwareSerial());
                update.setString(3, gateway.substation());
                update.setString(4, gateway.transformer());
                update.setString(5, gateway.timezone());
                update.setString(6, gateway.commType());
                update.setString(7, gateway.ip());
                update.setString(8, gateway.state());
                update.setString(9, gateway.id());
                update.executeUpdate();
            }
            AuditLog.record(connection, now, user, "gateway.save", gateway.id(), "state " + gateway.state());
            return null;
        });
    }

    /**
     * Registers a meter (M1) or updates a registered one: a meter only seen in data ({@code discovered}) or
     * decommissioned becomes {@code registered}; a commissioned one stays commissioned and its gateway gets the new
     * addressing and secrets. Moving a commissioned meter to another gateway is a relink, not a registration.
     */
    public Accepted registerMeter(MeterRegistration registration, String user)
            throws ProvisioningException, SQLException {
        MeterRegistration.Valid meter = registration.validated();
        MeterSecrets bodySecrets = registration.secrets();
        Instant now = clock.instant();
        return inTransaction(connection -> {
            if (meter.gatewayId() != null) {
                requireGateway(connection, meter.gatewayId());
            }
            Optional<MeterRow> existing = meterRow(connection, meter.serial());
            MeterSecrets kept = registration.hasSecrets() || existing.isEmpty() ? bodySecrets
                    : MeterSecrets.open(secrets, existing.get().sealedSecrets());
            MeterSecrets checked = MeterRegistration.checkedSecrets(kept, meter.addressing().security());
            boolean commissioned = existing.map(row -> row.state().equals("commissioned")).orElse(false);
            if (commissioned && !Objects.equals(existing.get().gatewayId(), meter.gatewayId())) {
                throw ProvisioningException.conflict("meter " + meter.serial() + " is commissioned at gateway "
                        + existing.get().gatewayId() + ": move it with POST /api/meters/{serial}/relink");
            }
            if (existing.isPresent() && !Objects.equals(existing.get().gatewayId(), meter.gatewayId())) {
                requireSettled(connection, meter.serial());
            }
            if (commissioned && !existing.get().connection().equals(meter.connection())) {
                throw ProvisioningException.conflict("meter " + meter.serial() + " is commissioned: decommission it "
                        + "before changing its connection");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO meters (serial, gateway_id, "
                    + "first_seen, state, state_since) VALUES (?, ?, ?, 'registered', ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, meter.serial());
                insert.setString(2, meter.gatewayId());
                insert.setLong(3, now.toEpochMilli());
                insert.setLong(4, now.toEpochMilli());
                insert.executeUpdate();
            }
            String state = commissioned ? "commissioned" : "registered";
            DlmsAddressing addressing = meter.addressing();
            try (PreparedStatement update = connection.prepareStatement("UPDATE meters SET gateway_id = ?, "
                    + "meter_type = ?, manufacturer = ?, firmware = ?, connection = ?, transport = ?, host = ?, "
                    + "port = ?, logical_device = ?, physical_address = ?, channel = ?, security = ?, "
                    + "secrets_encrypted = ?, capabilities = ?, state = ?, state_since = CASE WHEN state = ? "
                    + "THEN state_since ELSE ? END WHERE serial = ?")) {
                update.setString(1, meter.gatewayId());
                update.setString(2, meter.meterType());
                update.setString(3, meter.manufacturer());
                update.setString(4, meter.firmware());
                update.setString(5, meter.connection());
                update.setString(6, addressing.transport());
                update.setString(7, addressing.host());
                update.setInt(8, addressing.port());
                update.setInt(9, addressing.logicalDevice());
                update.setInt(10, addressing.physicalAddress());
                update.setString(11, addressing.channel());
                update.setString(12, addressing.security());
                update.setString(13, checked.equals(MeterSecrets.NONE) ? "" : checked.seal(secrets));
                update.setString(14, meter.capabilities());
                update.setString(15, state);
                update.setString(16, state);
                update.setLong(17, now.toEpochMilli());
                update.setString(18, meter.serial());
                update.executeUpdate();
            }
            List<String> queued = new ArrayList<>();
            if (commissioned && meter.gatewayId() != null) {
                queued.add(InventoryChanges.queue(connection, meter.gatewayId(), meter.serial(),
                        InventoryChanges.COMMISSION, now));
            }
            // the secrets themselves never reach the audit log, only which security the meter uses
            AuditLog.record(connection, now, user, existing.isPresent() ? "meter.update" : "meter.register",
                    meter.serial(), meter.connection() + (meter.gatewayId() == null ? "" : " via " + meter.gatewayId())
                            + ", " + addressing.transport() + ", security " + addressing.security());
            return new Accepted(meter.serial(), state, queued);
        });
    }

    /** Commissions a registered meter: at its gateway (confirmed later), or at once if point-to-point. */
    public Accepted commission(String serial, String user) throws ProvisioningException, SQLException {
        return enter(serial, user, Lifecycle.COMMISSIONED, meter -> {
            if (meter.state().equals("discovered")) {
                throw ProvisioningException.conflict("meter " + serial + " was only seen in data: register it first "
                        + "(POST /api/meters) with its addressing and secrets");
            }
            if (meter.transport().isEmpty()) {
                throw ProvisioningException.conflict("meter " + serial + " has no DLMS addressing: register it again");
            }
        });
    }

    /** Takes a meter out of service: at its gateway (confirmed later), or at once if point-to-point. */
    public Accepted decommission(String serial, String user) throws ProvisioningException, SQLException {
        return enter(serial, user, Lifecycle.DECOMMISSIONED, meter -> {
            if (meter.state().equals("decommissioned")) {
                throw ProvisioningException.conflict("meter " + serial + " is decommissioned already");
            }
        });
    }

    private interface Precondition {
        void check(MeterRow meter) throws ProvisioningException;
    }

    private Accepted enter(String serial, String user, Lifecycle to, Precondition precondition)
            throws ProvisioningException, SQLException {
        Instant now = clock.instant();
        return inTransaction(connection -> {
            MeterRow meter = requireMeter(connection, serial);
            precondition.check(meter);
            AuditLog.record(connection, now, user, "meter." + to.action(), serial, meter.describeLink());
            if (meter.gatewayId() == null) {
                Lifecycle.enter(connection, serial, null, to, "point-to-point, by " + user,
                        "manual:" + now.toEpochMilli(), now);
                return new Accepted(serial, to.state(), List.of());
            }
            String id = InventoryChanges.queue(connection, meter.gatewayId(), serial, to.action(), now);
            return new Accepted(serial, meter.state(), List.of(id));
        });
    }

    /**
     * Links a meter to another gateway (M2). A commissioned meter is decommissioned at the old gateway and
     * commissioned at the new one; it stays commissioned meanwhile.
     */
    public Accepted relink(String serial, String gatewayId, String user) throws ProvisioningException, SQLException {
        if (gatewayId == null || gatewayId.isBlank()) {
            throw ProvisioningException.invalid("gatewayId is required");
        }
        Instant now = clock.instant();
        return inTransaction(connection -> {
            MeterRow meter = requireMeter(connection, serial);
            requireGateway(connection, gatewayId);
            if (!meter.connection().equals(MeterRegistration.GATEWAY)) {
                throw ProvisioningException.conflict("meter " + serial + " is point_to_point: it has no gateway");
            }
            if (meter.state().equals("decommissioned")) {
                throw ProvisioningException.conflict("meter " + serial + " is decommissioned: register it again");
            }
            if (gatewayId.equals(meter.gatewayId())) {
                throw ProvisioningException.conflict("meter " + serial + " is linked to gateway " + gatewayId
                        + " already");
            }
            requireSettled(connection, serial);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE meters SET gateway_id = ? WHERE serial = ?")) {
                update.setString(1, gatewayId);
                update.setString(2, serial);
                update.executeUpdate();
            }
            List<String> queued = new ArrayList<>();
            if (meter.state().equals("commissioned")) {
                if (meter.gatewayId() != null) {
                    queued.add(InventoryChanges.queue(connection, meter.gatewayId(), serial,
                            InventoryChanges.RELINK_AWAY, now));
                }
                queued.add(InventoryChanges.queue(connection, gatewayId, serial, InventoryChanges.COMMISSION, now));
            }
            AuditLog.record(connection, now, user, "meter.relink", serial, meter.gatewayId() + " -> " + gatewayId);
            return new Accepted(serial, meter.state(), queued);
        });
    }

    /**
     * Links the meter to the usage point {@code pod} (created if new; its address updated if given), closing the
     * meter's previous link and the usage point's link to another meter (a meter exchange). Linking to the usage
     * point it serves already changes nothing.
     */
    public void linkUsagePoint(String serial, String pod, String address, String user)
            throws ProvisioningException, SQLException {
        String validPod = MeterRegistration.text("pod", pod);
        if (validPod.isEmpty()) {
            throw ProvisioningException.invalid("pod is required (the point of delivery code)");
        }
        String validAddress = MeterRegistration.text("address", address);
        Instant now = clock.instant();
        inTransaction(connection -> {
            MeterRow meter = requireMeter(connection, serial);
            if (meter.state().equals("decommissioned")) {
                throw ProvisioningException.conflict("meter " + serial + " is decommissioned");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO usage_points (pod, address, "
                    + "created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, validPod);
                insert.setString(2, validAddress);
                insert.setLong(3, now.toEpochMilli());
                insert.executeUpdate();
            }
            if (address != null) {
                execute(connection, "UPDATE usage_points SET address = ? WHERE pod = ?", validAddress, validPod);
            }
            long usagePointId = single(connection, "SELECT usage_point_id FROM usage_points WHERE pod = ?", validPod);
            Optional<String> current = openUsagePoint(connection, meter.id());
            if (current.isPresent() && current.get().equals(validPod)) {
                return null;
            }
            closeLinks(connection, "meter_id", meter.id(), now);
            closeLinks(connection, "usage_point_id", usagePointId, now);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO meter_usage_points (meter_id, "
                    + "usage_point_id, linked_at) VALUES (?, ?, ?)")) {
                insert.setLong(1, meter.id());
                insert.setLong(2, usagePointId);
                insert.setLong(3, now.toEpochMilli());
                insert.executeUpdate();
            }
            AuditLog.record(connection, now, user, "meter.usage_point.link", serial, validPod);
            return null;
        });
    }

    /** Ends the meter's link to its usage point. */
    public void unlinkUsagePoint(String serial, String user) throws ProvisioningException, SQLException {
        Instant now = clock.instant();
        inTransaction(connection -> {
            MeterRow meter = requireMeter(connection, serial);
            Optional<String> current = openUsagePoint(connection, meter.id());
            if (current.isEmpty()) {
                throw ProvisioningException.conflict("meter " + serial + " serves no usage point");
            }
            closeLinks(connection, "meter_id", meter.id(), now);
            AuditLog.record(connection, now, user, "meter.usage_point.unlink", serial, current.get());
            return null;
        });
    }

    /** Sets the meter's contract (M7): profile, state (active, suspended, ended) and tariff profile. */
    public void changeContract(String serial, String contractProfile, String contractState, String tariffProfile,
            String user) throws ProvisioningException, SQLException {
        String profile = MeterRegistration.text("contractProfile", contractProfile);
        if (profile.isEmpty()) {
            throw ProvisioningException.invalid("contractProfile is required");
        }
        String state = contractState == null ? "" : contractState.strip().toLowerCase(Locale.ROOT);
        if (!CONTRACT_STATES.contains(state)) {
            throw ProvisioningException.invalid("contractState must be one of active, suspended, ended"
                    + (contractState == null ? " (missing)" : ", not '" + contractState + "'"));
        }
        String tariff = MeterRegistration.text("tariffProfile", tariffProfile);
        Instant now = clock.instant();
        inTransaction(connection -> {
            MeterRow meter = requireMeter(connection, serial);
            if (meter.state().equals("decommissioned")) {
                throw ProvisioningException.conflict("meter " + serial + " is decommissioned: no contract changes");
            }
            execute(connection, "UPDATE meters SET contract_profile = ?, contract_state = ?, tariff_profile = ? "
                    + "WHERE serial = ?", profile, state, tariff, serial);
            AuditLog.record(connection, now, user, "meter.contract", serial,
                    "profile " + profile + ", state " + state + ", tariff " + tariff);
            return null;
        });
    }

    /** Adds meters to a group (created by its first member); returns how many were not in it yet. */
    public int addToGroup(String group, List<String> serials, String user) throws ProvisioningException, SQLException {
        String name = MeterRegistration.text("group", group);
        if (name.isEmpty()) {
            throw ProvisioningException.invalid("the group name is required");
        }
        if (serials == null || serials.isEmpty() || serials.size() > MAX_GROUP_MEMBERS) {
            throw ProvisioningException.invalid("serials must list 1 to " + MAX_GROUP_MEMBERS + " meters");
        }
        Set<String> unique = new LinkedHashSet<>(serials);
        Instant now = clock.instant();
        return inTransaction(connection -> {
            List<String> unknown = new ArrayList<>();
            int added = 0;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO meter_groups (group_name, "
                    + "meter_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                for (String serial : unique) {
                    Optional<MeterRow> meter = serial == null ? Optional.empty() : meterRow(connection, serial);
                    if (meter.isEmpty()) {
                        unknown.add(String.valueOf(serial));
                        continue;
                    }
                    insert.setString(1, name);
                    insert.setLong(2, meter.get().id());
                    added += insert.executeUpdate();
                }
            }
            if (!unknown.isEmpty()) {
                throw ProvisioningException.invalid("serials: unknown meters " + String.join(", ", unknown));
            }
            AuditLog.record(connection, now, user, "group.add", name, unique.size() + " meters, " + added + " new");
            return added;
        });
    }

    // ---- rows and helpers

    /** The columns of a meter the lifecycle decisions need. */
    record MeterRow(long id, String serial, String gatewayId, String state, String connection, String transport,
            String sealedSecrets) {
        String describeLink() {
            return gatewayId == null ? connection : "gateway " + gatewayId;
        }
    }

    static Optional<MeterRow> meterRow(Connection connection, String serial) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT meter_id, serial, gateway_id, state, "
                + "connection, transport, secrets_encrypted FROM meters WHERE serial = ?")) {
            select.setString(1, serial);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new MeterRow(row.getLong(1), row.getString(2), row.getString(3),
                        row.getString(4), row.getString(5), row.getString(6), row.getString(7))) : Optional.empty();
            }
        }
    }

    private static MeterRow requireMeter(Connection connection, String serial)
            throws SQLException, ProvisioningException {
        return meterRow(connection, serial).orElseThrow(() -> ProvisioningException.notFound("no meter " + serial));
    }

    private static void requireGateway(Connection connection, String gatewayId)
            throws SQLException, ProvisioningException {
        try (PreparedStatement select = connection.prepareStatement("SELECT state FROM gateways WHERE gateway_id = ?")) {
            select.setString(1, gatewayId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw ProvisioningException.invalid("gatewayId: no gateway " + gatewayId
                            + " (create it with POST /api/gateways)");
                }
                if (row.getString(1).equals("retired")) {
                    throw ProvisioningException.conflict("gateway " + gatewayId + " is retired");
                }
            }
        }
    }

    /** A meter changes gateway only when its gateway has answered every change sent to it. */
    private static void requireSettled(Connection connection, String serial)
            throws SQLException, ProvisioningException {
        try (PreparedStatement select = connection.prepareStatement("SELECT correlation_id, action, gateway_id FROM "
                + "inventory_changes WHERE serial = ? AND state IN ('PENDING', 'SENT')")) {
            select.setString(1, serial);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    throw ProvisioningException.conflict("meter " + serial + " waits for gateway " + row.getString(3)
                            + " to answer inventory change " + row.getString(1) + " (" + row.getString(2)
                            + "): change its gateway after that");
                }
            }
        }
    }

    private static Optional<String> openUsagePoint(Connection connection, long meterId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT u.pod FROM meter_usage_points l "
                + "JOIN usage_points u ON u.usage_point_id = l.usage_point_id "
                + "WHERE l.meter_id = ? AND l.unlinked_at IS NULL")) {
            select.setLong(1, meterId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    private static void closeLinks(Connection connection, String column, long id, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE meter_usage_points SET unlinked_at = ? "
                + "WHERE " + column + " = ? AND unlinked_at IS NULL")) {
            update.setLong(1, now.toEpochMilli());
            update.setLong(2, id);
            update.executeUpdate();
        }
    }

    private static void execute(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private static long single(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, value);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException, ProvisioningException;
    }

    /**
     * Runs {@code work} in one transaction and wakes the sender of inventory changes after the commit. A transaction
     * that read before it wrote loses against a concurrent writer (the ingest) instead of waiting for it: it runs
     * again after a pause that gives the writer time to commit, up to {@link #MAX_ATTEMPTS} times.
     */
    private <T> T inTransaction(Work<T> work) throws SQLException, ProvisioningException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = database.connect()) {
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    changesQueued.run();
                    return result;
                } catch (SQLException e) {
                    connection.rollback();
                    if (attempt == MAX_ATTEMPTS || !lostToAnotherWriter(e)) {
                        throw e;
                    }
                    pause(attempt, e);
                } catch (ProvisioningException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
        }
    }

    private static void pause(int attempt, SQLException lost) throws SQLException {
        try {
            Thread.sleep(PAUSE_MILLIS * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw lost;
        }
    }

    /** SQLite's busy snapshot, PostgreSQL's serialization failure. */
    private static boolean lostToAnotherWriter(SQLException e) {
        return "40001".equals(e.getSQLState()) || (e.getErrorCode() & 0xFF) == SQLITE_BUSY;
    }
}

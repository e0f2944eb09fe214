package org.medida.central.provisioning;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.medida.central.db.Database;
import org.medida.central.ingest.IngestListener;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.InventoryChange;
import org.medida.protocol.InventoryResult;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes of gateways' meter tables ({@code inventory_changes}) on their way and back: a change is queued
 * {@code PENDING} in the transaction that asked for it, published on the gateway's {@code inventory/request} when
 * the gateway is online ({@code SENT}), published again while no answer came within the resend timeout (the gateway
 * applies a change twice as once), and {@code CONFIRMED} or {@code FAILED} by the gateway's answer on
 * {@code inventory/result}. A change for an offline gateway waits until its birth arrives. A confirmed commission or
 * decommission moves the meter's state and records its lifecycle event, in the ingest's transaction.
 * <p>
 * Actions: {@code commission}, {@code decommission}, and {@code relink-away} (the decommission at the old gateway of
 * a relinked meter, which leaves the meter's state alone). A commission carries the meter's addressing and secrets
 * as they are when it is published, so a resend after new keys sends the new keys.
 */
public final class InventoryChanges implements IngestListener, AutoCloseable {

    static final String COMMISSION = "commission";
    static final String DECOMMISSION = "decommission";
    static final String RELINK_AWAY = "relink-away";

    private static final Logger LOG = LoggerFactory.getLogger(InventoryChanges.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final String DUE = """
            SELECT c.correlation_id, c.gateway_id, c.serial, c.action FROM inventory_changes c
            JOIN gateways g ON g.gateway_id = c.gateway_id
            WHERE g.online = 1 AND (c.state = 'PENDING' OR (c.state = 'SENT' AND c.sent_at <= ?))
            ORDER BY c.requested_at, c.correlation_id""";

    /** Publishes on the broker; fails while central is not connected. */
    public interface Publisher {
        void publish(String topic, byte[] payload) throws MqttException;
    }

    private final Database database;
    private final SecretBox secrets;
    private final Publisher publisher;
    private final Clock clock;
    private final Duration resendAfter;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "central-inventory-changes"));

    private InventoryChanges(Database database, SecretBox secrets, Publisher publisher, Clock clock,
            Duration resendAfter) {
        this.database = database;
        this.secrets = secrets;
        this.publisher = publisher;
        this.clock = clock;
        this.resendAfter = resendAfter;
    }

    /** Starts sending: what is due goes out at once, then every second and whenever {@link #wake} is called. */
    public static InventoryChanges start(Database database, SecretBox secrets, Publisher publisher, Clock clock,
            Duration resendAfter) {
        InventoryChanges changes = new InventoryChanges(database, secrets, publisher, clock, resendAfter);
        changes.sender.scheduleWithFixedDelay(changes::sendDue, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        return changes;
    }

    /** Queues a change in the caller's transaction; returns its correlation id. Call {@link #wake} after commit. */
    static String queue(Connection connection, String gatewayId, String serial, String action, Instant now)
            throws SQLException {
        String correlationId = UUID.randomUUID().toString();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inventory_changes (correlation_id, "
                + "gateway_id, serial, action, state, requested_at) VALUES (?, ?, ?, ?, 'PENDING', ?)")) {
            insert.setString(1, correlationId);
            insert.setString(2, gatewayId);
            insert.setString(3, serial);
            insert.setString(4, action);
            insert.setLong(5, now.toEpochMilli());
            insert.executeUpdate();
        }
        return correlationId;
    }

    /** Sends what is due soon, off the caller's thread. */
    public void wake() {
        try {
            sender.execute(this::sendDue);
        } catch (RejectedExecutionException closed) {
            LOG.debug("Inventory changes closed; the change goes out after the next start");
        }
    }

    private record Due(String correlationId, String gatewayId, String serial, String action) {
    }

    private void sendDue() {
        try (Connection connection = database.connect()) {
            Instant now = clock.instant();
            List<Due> due = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(DUE)) {
                select.setLong(1, now.minus(resendAfter).toEpochMilli());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        due.add(new Due(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)));
                    }
                }
            }
            for (Due change : due) {
                if (!send(connection, change, now)) {
                    return;
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.error("Sending inventory changes failed, retrying in {}: {}", POLL, e.getMessage(), e);
        }
    }

    /** Publishes one change; false when central is not connected (the rest waits too). */
    private boolean send(Connection connection, Due change, Instant now) throws SQLException {
        byte[] payload;
        try {
            payload = Payloads.encodeInventoryChange(message(connection, change));
        } catch (IllegalArgumentException e) {
            finish(connection, change.correlationId(), "FAILED", "not sent: " + e.getMessage(), now);
            LOG.warn("Inventory change {} ({} of meter {} at gateway {}) cannot be sent: {}", change.correlationId(),
                    change.action(), change.serial(), change.gatewayId(), e.getMessage());
            return true;
        }
        try {
            publisher.publish(Topics.inventoryRequest(change.gatewayId()), payload);
        } catch (MqttException e) {
            LOG.debug("Inventory changes wait for the broker: {}", e.getMessage());
            return false;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE inventory_changes SET state = 'SENT', "
                + "sent_at = ? WHERE correlation_id = ? AND state IN ('PENDING', 'SENT')")) {
            update.setLong(1, now.toEpochMilli());
            update.setString(2, change.correlationId());
            update.executeUpdate();
        }
        LOG.info("Sent inventory change {}: {} meter {} at gateway {}", change.correlationId(), change.action(),
                change.serial(), change.gatewayId());
        return true;
    }

    /** The message of a change; a commission reads the meter's addressing and secrets now. */
    private InventoryChange message(Connection connection, Due change) throws SQLException {
        if (!change.action().equals(COMMISSION)) {
            return InventoryChange.decommission(change.correlationId(), change.serial());
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT transport, host, port, logical_device, "
                + "physical_address, channel, security, secrets_encrypted FROM meters WHERE serial = ?")) {
            select.setString(1, change.serial());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalArgumentException("meter " + change.serial() + " is not registered");
                }
                DlmsAddressing addressing = new DlmsAddressing(row.getString(1), row.getString(2), row.getInt(3),
                        row.getInt(4), row.getInt(5), row.getString(6), row.getString(7));
                MeterSecrets meterSecrets = MeterSecrets.open(secrets, row.getString(8));
                return InventoryChange.commission(change.correlationId(),
                        addressing.toMeterRef(change.serial(), meterSecrets));
            }
        }
    }

    /**
     * A new connection of the gateway: it has a clean session, so a change sent before may never have reached it.
     * Whatever it has not answered goes out again now rather than after the resend timeout.
     */
    @Override
    public void statusApplied(Connection connection, String gatewayId, GatewayStatus status, Instant now)
            throws SQLException {
        if (!status.online()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE inventory_changes SET state = 'PENDING' "
                + "WHERE gateway_id = ? AND state = 'SENT'")) {
            update.setString(1, gatewayId);
            update.executeUpdate();
        }
    }

    @Override
    public void statusCommitted(String gatewayId, GatewayStatus status) {
        if (status.online()) {
            wake();
        }
    }

    /** The gateway's answer, in the ingest's transaction: the change is settled and a confirmed one applied. */
    @Override
    public void inventoryResultArrived(Connection connection, String gatewayId, InventoryResult result, Instant now)
            throws SQLException {
        // Settle first: the write lock comes before any read, so a concurrent writer makes this wait, not fail.
        boolean ok = result.status() == InventoryResult.Status.OK;
        try (PreparedStatement update = connection.prepareStatement("UPDATE inventory_changes SET state = ?, "
                + "detail = ?, confirmed_at = ? WHERE correlation_id = ? AND gateway_id = ? "
                + "AND state IN ('PENDING', 'SENT')")) {
            update.setString(1, ok ? "CONFIRMED" : "FAILED");
            update.setString(2, result.detail());
            update.setLong(3, now.toEpochMilli());
            update.setString(4, result.correlationId());
            update.setString(5, gatewayId);
            if (update.executeUpdate() == 0) {
                LOG.info("Ignored gateway {}'s answer to inventory change {}: settled already, or not sent to it",
                        gatewayId, result.correlationId());
                return;
            }
        }
        String action;
        String serial;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT action, serial FROM inventory_changes WHERE correlation_id = ?")) {
            select.setString(1, result.correlationId());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                action = row.getString(1);
                serial = row.getString(2);
            }
        }
        if (!ok) {
            LOG.warn("Gateway {} refused inventory change {} ({} of meter {}): {}", gatewayId, result.correlationId(),
                    action, serial, result.detail());
            return;
        }
        LOG.info("Gateway {} confirmed inventory change {} ({} of meter {})", gatewayId, result.correlationId(), action,
                serial);
        // a relink-away leaves the meter as it is: it stays in service, at its new gateway
        for (Lifecycle to : List.of(Lifecycle.COMMISSIONED, Lifecycle.DECOMMISSIONED)) {
            if (to.action().equals(action)) {
                Lifecycle.enter(connection, serial, gatewayId, to, "confirmed by gateway " + gatewayId,
                        result.correlationId(), now);
            }
        }
    }

    private static void finish(Connection connection, String correlationId, String state, String detail, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE inventory_changes SET state = ?, "
                + "detail = ?, confirmed_at = ? WHERE correlation_id = ?")) {
            update.setString(1, state);
            update.setString(2, detail);
            update.setLong(3, now.toEpochMilli());
            update.setString(4, correlationId);
            update.executeUpdate();
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

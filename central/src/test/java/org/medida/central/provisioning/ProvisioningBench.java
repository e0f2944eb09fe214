package org.medida.central.provisioning;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.medida.central.db.Database;
import org.medida.central.gateways.Gateways;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.InventoryChange;
import org.medida.protocol.InventoryResult;
import org.medida.protocol.Payloads;

/**
 * Provisioning on a real SQLite file with a real key file; the broker is replaced by a queue of what would have been
 * published, and a gateway's answers are handed in as the ingest would.
 */
final class ProvisioningBench implements AutoCloseable {

    static final String USER = "tech";

    final Database database;
    final Gateways gateways;
    final SecretBox secrets;
    final InventoryChanges changes;
    final Provisioning provisioning;
    final ProvisioningQueries queries;
    final BlockingQueue<Published> published = new LinkedBlockingQueue<>();
    volatile boolean brokerUp = true;

    record Published(String topic, InventoryChange change) {
    }

    ProvisioningBench(Path dir, Duration resendAfter) throws Exception {
        database = Database.openSqlite(dir.resolve("central.db"));
        gateways = Gateways.load(database);
        secrets = SecretBox.open(dir.resolve("central.key"));
        changes = InventoryChanges.start(database, secrets, (topic, payload) -> {
            if (!brokerUp) {
                throw new org.eclipse.paho.client.mqttv3.MqttException(
                        org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
            }
            try {
                published.add(new Published(topic, Payloads.decodeInventoryChange(payload)));
            } catch (org.medida.protocol.MalformedPayloadException e) {
                throw new AssertionError(e);
            }
        }, Clock.systemUTC(), resendAfter);
        provisioning = new Provisioning(database, gateways, secrets, changes::wake, Clock.systemUTC());
        queries = new ProvisioningQueries(database);
    }

    void gateway(String id) throws Exception {
        provisioning.saveGateway(new GatewayRegistration(id, "DC450", "HW-" + id, "SS-1", "TR-7", "Europe/Rome",
                "plc", "10.0.0.1", null), USER);
    }

    /** The gateway's birth, as the ingest applies and announces it. */
    void online(String gatewayId, long session) throws SQLException {
        GatewayStatus status = new GatewayStatus(true, session, Instant.now(), "test");
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            Gateways.applyStatus(connection, gatewayId, status, Instant.now());
            changes.statusApplied(connection, gatewayId, status, Instant.now());
            connection.commit();
        }
        changes.statusCommitted(gatewayId, status);
    }

    static MeterRegistration hls(String serial, String gatewayId) {
        return new MeterRegistration(serial, "E450", "Landis+Gyr", "1.2.3", "gateway", gatewayId, "hdlc", "10.1.1.9",
                4059, 1, 17, "plc-a", "hls5_gmac", null, "000102030405060708090a0b0c0d0e0f",
                "f0e0d0c0b0a090807060504030201000", List.of("disconnector", "load_profile"));
    }

    Published next() throws InterruptedException {
        Published next = published.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("nothing was published");
        }
        return next;
    }

    /** A gateway's answer, in a transaction as the ingest's writer runs it. */
    void answer(String gatewayId, String correlationId, String serial, InventoryResult.Status status, String detail)
            throws SQLException {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            changes.inventoryResultArrived(connection, gatewayId,
                    new InventoryResult(correlationId, serial, status, detail), Instant.now());
            connection.commit();
        }
    }

    String text(String sql, Object... values) throws SQLException {
        List<String> rows = column(sql, values);
        if (rows.size() != 1) {
            throw new AssertionError(rows.size() + " rows for " + sql);
        }
        return rows.get(0);
    }

    List<String> column(String sql, Object... values) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                select.setObject(i + 1, values[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        }
    }

    @Override
    public void close() {
        changes.close();
    }
}

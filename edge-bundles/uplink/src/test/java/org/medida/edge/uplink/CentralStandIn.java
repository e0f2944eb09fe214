package org.medida.edge.uplink;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.medida.edge.api.Batch;
import org.medida.edge.api.TaskOutcome;
import org.medida.protocol.BatchAck;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.InventoryResult;
import org.medida.protocol.MalformedPayloadException;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;

/**
 * Central as far as one gateway's uplink can tell: a Paho client that receives its batches, status and command
 * outcomes, and answers each batch as the test decides (commit, refuse, or withhold). It reconnects by itself
 * when the broker comes back.
 */
final class CentralStandIn implements AutoCloseable {

    /** How central answers a batch: an acknowledgement to send now, or null to withhold it. */
    interface Answer extends Function<Batch, BatchAck> {
    }

    static final Answer COMMIT = batch -> BatchAck.committed(batch.id());
    static final Answer WITHHOLD = batch -> null;

    private final String gateway;
    private final MqttAsyncClient client;
    private final List<Batch> batches = new ArrayList<>();
    private final List<GatewayStatus> statuses = new ArrayList<>();
    private final List<TaskOutcome> outcomes = new ArrayList<>();
    private final List<InventoryResult> inventoryResults = new ArrayList<>();
    /** What arrived on the gateway's topics, in order: "batch:<id>" or "outcome:<correlation id>". */
    private final List<String> arrivals = new ArrayList<>();
    private final Map<Long, Batch> withheld = new ConcurrentHashMap<>();
    private volatile Answer answer = COMMIT;
    private volatile MqttConnectOptions options;
    private volatile boolean closed;

    private CentralStandIn(String gateway, MqttAsyncClient client) {
        this.gateway = gateway;
        this.client = client;
    }

    static CentralStandIn connect(String brokerUrl, String gateway) throws MqttException {
        return connect(brokerUrl, gateway, options -> { });
    }

    /** Connects as {@code username}, for a broker with an ACL. */
    static CentralStandIn connect(String brokerUrl, String gateway, String username, String password)
            throws MqttException {
        return connect(brokerUrl, gateway, options -> {
            options.setUserName(username);
            options.setPassword(password.toCharArray());
        });
    }

    /** Connects over TLS. */
    static CentralStandIn connect(String brokerUrl, String gateway, SSLSocketFactory tls) throws MqttException {
        return connect(brokerUrl, gateway, options -> options.setSocketFactory(tls));
    }

    private static CentralStandIn connect(String brokerUrl, String gateway, Consumer<MqttConnectOptions> extra)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(brokerUrl, "central-" + System.nanoTime(),
                new MemoryPersistence());
        CentralStandIn central = new CentralStandIn(gateway, client);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        // Acknowledgements are QoS 1 too: Paho's default of 10 unconfirmed publishes would refuse a full window's.
        options.setMaxInflight(1000);
        extra.accept(options);
        central.options = options;
        client.setCallback(central.new Callback());
        client.connect(options).waitForCompletion(10_000);
        central.subscribe();
        return central;
    }

    void answer(Answer newAnswer) {
        answer = newAnswer;
    }

    /** Commits every batch withheld so far. */
    void commitWithheld() throws MqttException {
        for (Batch batch : List.copyOf(withheld.values())) {
            withheld.remove(batch.id());
            acknowledge(BatchAck.committed(batch.id()));
        }
    }

    void publish(String topic, byte[] payload) throws MqttException {
        client.publish(topic, payload, 1, false).waitForCompletion(10_000);
    }

    synchronized List<Batch> batches() {
        return List.copyOf(batches);
    }

    synchronized List<GatewayStatus> statuses() {
        return List.copyOf(statuses);
    }

    synchronized List<TaskOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    synchronized List<InventoryResult> inventoryResults() {
        return List.copyOf(inventoryResults);
    }

    synchronized List<String> arrivals() {
        return List.copyOf(arrivals);
    }

    @Override
    public void close() throws MqttException {
        closed = true;
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(5_000);
        }
        client.close(true);
    }

    private void subscribe() throws MqttException {
        client.subscribe(new String[] { Topics.batch(gateway), Topics.status(gateway), Topics.commandResult(gateway),
            Topics.inventoryResult(gateway) }, new int[] { 1, 1, 1, 1 }).waitForCompletion(10_000);
    }

    private void acknowledge(BatchAck ack) throws MqttException {
        client.publish(Topics.ack(gateway), Payloads.encodeAck(ack), 1, false);
    }

    private synchronized void received(String topic, byte[] payload) throws MalformedPayloadException, MqttException {
        if (topic.equals(Topics.batch(gateway))) {
            Batch batch = Payloads.decodeBatch(payload);
            batches.add(batch);
            arrivals.add("batch:" + batch.id());
            BatchAck ack = answer.apply(batch);
            if (ack == null) {
                withheld.put(batch.id(), batch);
            } else {
                acknowledge(ack);
            }
        } else if (topic.equals(Topics.status(gateway))) {
            statuses.add(Payloads.decodeStatus(payload));
        } else if (topic.equals(Topics.commandResult(gateway))) {
            TaskOutcome outcome = Payloads.decodeOutcome(payload);
            outcomes.add(outcome);
            arrivals.add("outcome:" + outcome.correlationId());
        } else if (topic.equals(Topics.inventoryResult(gateway))) {
            InventoryResult result = Payloads.decodeInventoryResult(payload);
            inventoryResults.add(result);
            arrivals.add("inventory:" + result.correlationId());
        }
    }

    /** Polls a condition: a loaded 2-core machine gets generous time, a failure says what was awaited. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** Reconnects and subscribes again until it succeeds, as central does after a broker restart. */
    private void reconnect() {
        while (!closed) {
            try {
                client.connect(options).waitForCompletion(5_000);
                subscribe();
                return;
            } catch (MqttException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            Thread reconnecting = new Thread(CentralStandIn.this::reconnect, "central-stand-in-reconnect");
            reconnecting.setDaemon(true);
            reconnecting.start();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            received(topic, message.getPayload());
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // nothing waits for central's own publishes
        }
    }
}

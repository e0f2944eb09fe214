package org.medida.central;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.medida.edge.api.Batch;
import org.medida.protocol.BatchAck;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.MalformedPayloadException;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;

/** A gateway for tests: a real Paho client that publishes encoded messages and collects central's acks. */
public final class TestGateway implements AutoCloseable {

    private final String id;
    private final MqttClient client;
    private final BlockingQueue<BatchAck> acks = new LinkedBlockingQueue<>();

    private TestGateway(String id, MqttClient client) {
        this.id = id;
        this.client = client;
    }

    /** Connects anonymously as gateway {@code id} and subscribes to its acks. */
    public static TestGateway connect(String brokerUrl, String id) throws MqttException {
        return connect(brokerUrl, id, null);
    }

    /** Connects as gateway {@code id}, as broker user {@code id} with {@code password} unless it is null. */
    public static TestGateway connect(String brokerUrl, String id, String password) throws MqttException {
        MqttClient client = new MqttClient(brokerUrl, "test-" + id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        // a loaded machine can leave a few publishes unconfirmed for a moment: not the test's subject
        options.setMaxInflight(1000);
        if (password != null) {
            options.setUserName(id);
            options.setPassword(password.toCharArray());
        }
        client.connect(options);
        TestGateway gateway = new TestGateway(id, client);
        client.subscribe(Topics.ack(id), 1, (topic, message) -> {
            try {
                gateway.acks.add(Payloads.decodeAck(message.getPayload()));
            } catch (MalformedPayloadException e) {
                throw new AssertionError("central sent a malformed ack", e);
            }
        });
        return gateway;
    }

    public String id() {
        return id;
    }

    public void send(Batch batch) throws MqttException {
        publish(Topics.batch(id), Payloads.encodeBatch(batch), false);
    }

    public void sendStatus(boolean online, long session) throws MqttException {
        publish(Topics.status(id), Payloads.encodeStatus(new GatewayStatus(online, session, Instant.now(), "test 1.0")),
                true);
    }

    public void publish(String topic, byte[] payload, boolean retained) throws MqttException {
        client.publish(topic, payload, 1, retained);
    }

    /** The next ack central sent, within {@code timeout}, or empty. */
    public Optional<BatchAck> nextAck(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(acks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The next ack, failing the test if none comes within 30 s. */
    public BatchAck awaitAck() throws InterruptedException {
        return nextAck(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("no ack from central"));
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}

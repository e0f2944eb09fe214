package org.medida.central.ingest;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.medida.central.db.Database;
import org.medida.central.gateways.Gateways;
import org.medida.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Central's MQTT side of the ingest: subscribes to every gateway's batches, status and command results (QoS 1),
 * and hands the messages to one writer thread ({@link IngestHandler}) in arrival order. The writer commits, then
 * publishes the answer, then acknowledges the message to the broker (manual PUBACK): the MQTT callback thread
 * never waits for the database, and the broker's in-flight window (unacknowledged messages) bounds the queue, so
 * a slow disk slows the gateways down instead of filling central's memory. The session is persistent (clean session
 * off, stable client id): messages published while central restarts wait at the broker.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final String[] SUBSCRIPTIONS = {Topics.ALL_BATCHES, Topics.ALL_STATUS, Topics.ALL_COMMAND_RESULTS,
        Topics.ALL_INVENTORY_RESULTS};
    private static final int QOS = 1;
    private static final Duration MAX_CONNECT_BACKOFF = Duration.ofSeconds(10);
    private static final Duration QUIESCE = Duration.ofSeconds(2);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** At most this many messages share one commit (the broker's in-flight window usually allows fewer). */
    private static final int MAX_GROUP = 64;

    private final MqttSettings settings;
    private final IngestHandler handler;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "central-ingest-writer"));
    private final MqttAsyncClient client;
    /** Messages the broker delivered and the writer has not taken yet. */
    private final BlockingQueue<Delivery> arrived = new LinkedBlockingQueue<>();
    /**
     * Counts lost connections: a PUBACK belongs to the connection that delivered the message. Counted on loss, not
     * on connect, because a persistent session's queued messages may arrive before the connect callback runs.
     */
    private final AtomicLong connection = new AtomicLong();
    private volatile boolean closed;

    /** A message with the connection that delivered it. */
    private record Delivery(String topic, MqttMessage message, long deliveredOn) {
    }

    private IngestService(MqttSettings settings, IngestHandler handler) throws MqttException {
        this.settings = settings;
        this.handler = handler;
        this.client = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(new Callback());
    }

    /**
     * Starts ingesting into {@code database}: connects to the broker (retrying with backoff until it answers or
     * the service is closed) and subscribes.
     */
    public static IngestService start(Database database, Gateways gateways, MqttSettings settings, Clock clock)
            throws SQLException, MqttException, InterruptedException {
        IngestService service = create(database, gateways, settings, clock);
        service.connect();
        return service;
    }

    /** An ingest not connected yet, so listeners can be added before the first message; then {@link #connect}. */
    public static IngestService create(Database database, Gateways gateways, MqttSettings settings, Clock clock)
            throws SQLException, MqttException {
        return new IngestService(settings, new IngestHandler(database, gateways, clock));
    }

    /** Tells {@code listener} about gateway statuses and command outcomes; add listeners before {@link #connect}. */
    public void addListener(IngestListener listener) {
        handler.addListener(listener);
    }

    /** Where central stores what it reads itself from point-to-point meters, seen by this ingest's listeners. */
    public DirectReadings directReadings() {
        return handler.directReadings();
    }

    /**
     * Publishes {@code payload} on {@code topic} at QoS 1, not retained (command requests, inventory changes). Fails
     * with {@link MqttException} while central is not connected: the caller keeps the message and sends it later.
     */
    public void publish(String topic, byte[] payload) throws MqttException {
        client.publish(topic, payload, QOS, false);
    }

    /** Whether the client is connected to the broker now. */
    public boolean isConnected() {
        return client.isConnected();
    }

    /** Connects to the broker, retrying with backoff until it answers or the service is closed, and subscribes. */
    public void connect() throws MqttException, InterruptedException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay((int) MAX_CONNECT_BACKOFF.toMillis());
        // Acks go out as fast as batches commit; the window only bounds acks not yet confirmed by the broker.
        options.setMaxInflight(1000);
        options.setKeepAliveInterval(30);
        if (settings.username() != null) {
            options.setUserName(settings.username());
            options.setPassword(settings.password());
        }
        long backoff = 250;
        while (!closed) {
            try {
                client.connect(options).waitForCompletion();
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                        || e.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED) {
                    throw e;
                }
                LOG.warn("Broker {} not reachable ({}), retrying in {} ms", settings.brokerUrl(), e.getMessage(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_CONNECT_BACKOFF.toMillis());
            }
        }
    }

    private void subscribe() {
        try {
            client.subscribe(SUBSCRIPTIONS, new int[] {QOS, QOS, QOS, QOS}, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    LOG.info("Subscribed to {} at {}", String.join(", ", SUBSCRIPTIONS), settings.brokerUrl());
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    LOG.error("Subscription at {} failed: {}", settings.brokerUrl(), failure.getMessage());
                }
            });
        } catch (MqttException e) {
            LOG.error("Could not subscribe at {}: {}", settings.brokerUrl(), e.getMessage());
        }
    }

    /**
     * Runs on the writer thread: takes every message that has arrived (up to {@link #MAX_GROUP}), stores them, then
     * answers and acknowledges each to the broker. Under load many batches share one commit.
     */
    private void ingestArrived() {
        List<Delivery> group = new ArrayList<>();
        arrived.drainTo(group, MAX_GROUP);
        if (group.isEmpty()) {
            return;
        }
        List<Optional<IngestHandler.Reply>> replies;
        try {
            replies = handler.handleAll(group.stream()
                    .map(delivery -> new IngestHandler.Arrival(delivery.topic(), delivery.message().getPayload()))
                    .toList());
        } catch (RuntimeException e) {
            LOG.error("{} messages failed unexpectedly together; handling them one by one", group.size(), e);
            replies = group.stream().map(this::handleAlone).toList();
        }
        for (int i = 0; i < group.size(); i++) {
            replies.get(i).ifPresent(this::publish);
            acknowledge(group.get(i));
        }
    }

    private Optional<IngestHandler.Reply> handleAlone(Delivery delivery) {
        try {
            return handler.handle(delivery.topic(), delivery.message().getPayload());
        } catch (RuntimeException e) {
            LOG.error("Message of {} bytes on {} failed unexpectedly", delivery.message().getPayload().length,
                    delivery.topic(), e);
            return Optional.empty();
        }
    }

    /** The broker's acknowledgement (PUBACK) of a message, sent only once it is stored and answered. */
    private void acknowledge(Delivery delivery) {
        String topic = delivery.topic();
        MqttMessage message = delivery.message();
        if (delivery.deliveredOn() != connection.get()) {
            // The connection that delivered it is gone, and its message id may now name another message: the broker
            // delivers this one again, and it is stored once.
            return;
        }
        try {
            client.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException e) {
            LOG.debug("Could not acknowledge message {} on {}: {}", message.getId(), topic, e.getMessage());
        }
    }

    private void publish(IngestHandler.Reply reply) {
        try {
            publish(reply.topic(), reply.payload());
        } catch (MqttException e) {
            // Committed but unanswered: the gateway sends the batch again and is answered then.
            LOG.warn("Could not publish on {}: {}", reply.topic(), e.getMessage());
        }
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            LOG.info("{} to {}", reconnect ? "Reconnected" : "Connected", serverUri);
            // Also after a reconnect: a broker that restarted without persistence forgot the subscriptions.
            subscribe();
        }

        @Override
        public void connectionLost(Throwable cause) {
            connection.incrementAndGet();
            LOG.warn("Connection to {} lost: {}", settings.brokerUrl(), cause == null ? "-" : cause.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            arrived.add(new Delivery(topic, message, connection.get()));
            writer.execute(IngestService.this::ingestArrived);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Acks are fire-and-forget at QoS 1: a lost one makes the gateway resend, which is answered again.
        }
    }

    /** Disconnects, lets the writer finish what has arrived, and closes the database connection. */
    @Override
    public void close() {
        closed = true;
        try {
            if (client.isConnected()) {
                client.disconnect(QUIESCE.toMillis()).waitForCompletion(QUIESCE.toMillis() * 2);
            }
        } catch (MqttException e) {
            LOG.debug("Disconnect from {}: {}", settings.brokerUrl(), e.getMessage());
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Ingest writer still busy after {}", DRAIN_TIMEOUT);
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.shutdownNow();
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("Closing the MQTT client: {}", e.getMessage());
        }
        try {
            handler.close();
        } catch (SQLException e) {
            LOG.warn("Closing the ingest database connection: {}", e.getMessage());
        }
    }
}

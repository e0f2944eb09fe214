package org.medida.benchmarks;

import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.medida.edge.api.Batch;
import org.medida.protocol.BatchAck;
import org.medida.protocol.MalformedPayloadException;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;

/**
 * Central as far as the edge can tell when only delivery is measured: a Paho client that decodes every batch (so
 * a broken payload would show) and acknowledges it as committed at once, without a database.
 */
final class AckingCentral implements AutoCloseable {

    private final MqttAsyncClient client;
    private final AtomicLong samples = new AtomicLong();

    private AckingCentral(MqttAsyncClient client) {
        this.client = client;
    }

    static AckingCentral connect(String brokerUrl) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(brokerUrl, "bench-central", new MemoryPersistence());
        AckingCentral central = new AckingCentral(client);
        client.setCallback(central.new Acknowledger());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(1000);
        options.setSocketFactory(new NoDelaySocketFactory());
        client.connect(options).waitForCompletion(10_000);
        client.subscribe(Topics.ALL_BATCHES, 1).waitForCompletion(10_000);
        return central;
    }

    /** Interval values (entries × channels) in the batches acknowledged so far. */
    long samples() {
        return samples.get();
    }

    private final class Acknowledger implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) throws MqttException {
            String gateway = Topics.gatewayOf(topic).orElseThrow();
            Batch batch;
            try {
                batch = Payloads.decodeBatch(message.getPayload());
            } catch (MalformedPayloadException e) {
                throw new IllegalStateException("the gateway sent a malformed batch: " + e.getMessage(), e);
            }
            if (batch instanceof Batch.Intervals intervals) {
                samples.addAndGet(intervals.blocks().stream()
                        .mapToLong(b -> (long) b.intervals().size() * b.channels().size()).sum());
            }
            client.publish(Topics.ack(gateway), Payloads.encodeAck(BatchAck.committed(batch.id())), 1, false);
        }

        @Override
        public void connectionLost(Throwable cause) {
            System.err.println("the benchmark's central lost the broker: " + cause);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }

    @Override
    public void close() throws MqttException {
        client.disconnect().waitForCompletion(5_000);
        client.close();
    }
}

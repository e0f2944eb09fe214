package org.medida.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoBrokerTest {

    @TempDir
    Path dir;

    @Test
    void deliversAndSurvivesRestartOnTheSamePort() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir)) {
            assertEquals("hello", roundTrip(broker, null, null, "medida/v1/gw/any/status"));
            int port = broker.port();
            broker.kill();
            assertFalse(broker.isRunning());
            broker.restart();
            assertEquals(port, broker.port());
            assertEquals("hello", roundTrip(broker, null, null, "medida/v1/gw/any/status"));
        }
    }

    @Test
    void confinesEachGatewayToItsOwnTopics() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir, Map.of("gw-1", "secret-1", "central", "c"))) {
            assertEquals("hello", roundTrip(broker, "gw-1", "secret-1", "medida/v1/gw/gw-1/batch"));
            MqttException refused = assertThrows(MqttException.class,
                    () -> roundTrip(broker, "gw-1", "wrong", "medida/v1/gw/gw-1/batch"));
            assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, refused.getReasonCode());
            assertTrue(roundTripTimesOut(broker, "gw-1", "secret-1", "medida/v1/gw/gw-2/batch"),
                    "a gateway must not reach another gateway's topics");
        }
    }

    private static String roundTrip(MosquittoBroker broker, String user, String password, String topic)
            throws Exception {
        String received = exchange(broker, user, password, topic);
        if (received == null) {
            throw new AssertionError("nothing received on " + topic);
        }
        return received;
    }

    private static boolean roundTripTimesOut(MosquittoBroker broker, String user, String password, String topic)
            throws Exception {
        return exchange(broker, user, password, topic) == null;
    }

    private static String exchange(MosquittoBroker broker, String user, String password, String topic)
            throws Exception {
        MqttConnectOptions options = new MqttConnectOptions();
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        MqttClient client = new MqttClient(broker.url(), "t-" + System.nanoTime(), new MemoryPersistence());
        client.connect(options);
        try {
            BlockingQueue<String> inbox = new ArrayBlockingQueue<>(1);
            client.subscribe(topic, 1, (t, m) -> inbox.offer(new String(m.getPayload(), StandardCharsets.UTF_8)));
            client.publish(topic, "hello".getBytes(StandardCharsets.UTF_8), 1, false);
            return inbox.poll(2, TimeUnit.SECONDS);
        } finally {
            client.disconnect();
            client.close();
        }
    }
}

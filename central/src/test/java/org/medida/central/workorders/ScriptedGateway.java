package org.medida.central.workorders;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.medida.edge.api.TaskOutcome;
import org.medida.protocol.CommandRequest;
import org.medida.protocol.CommandVerifier;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;

/**
 * A gateway for the work-order tests: a real MQTT client that receives central's command requests, checks their
 * signature with central's public key, and answers each as the test's script says (null: no answer).
 */
final class ScriptedGateway implements AutoCloseable {

    private final String id;
    private final MqttClient client;
    private final CommandVerifier centralKey;
    private final BlockingQueue<CommandRequest> requests = new LinkedBlockingQueue<>();
    private final List<String> unverified = new CopyOnWriteArrayList<>();
    private volatile Function<CommandRequest, TaskOutcome> script = request -> null;
    private long session;

    ScriptedGateway(String brokerUrl, String id, String centralKeyBase64) throws MqttException {
        this.id = id;
        this.centralKey = CommandVerifier.ofBase64(centralKeyBase64);
        this.client = new MqttClient(brokerUrl, "scripted-" + id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        client.subscribe(Topics.commandRequest(id), 1, (topic, message) -> {
            CommandRequest request = Payloads.decodeRequest(message.getPayload());
            if (!centralKey.verify(request)) {
                unverified.add(request.task().correlationId());
            }
            requests.add(request);
            TaskOutcome outcome = script.apply(request);
            if (outcome != null) {
                answer(outcome);
            }
        });
    }

    void script(Function<CommandRequest, TaskOutcome> newScript) {
        this.script = newScript;
    }

    void answer(TaskOutcome outcome) throws MqttException {
        client.publish(Topics.commandResult(id), Payloads.encodeOutcome(outcome), 1, false);
    }

    /** Publishes a birth (online) or a last will (offline), as a real gateway's uplink does. */
    void status(boolean online) throws MqttException {
        if (online) {
            session++;
        }
        client.publish(Topics.status(id), Payloads.encodeStatus(new GatewayStatus(online, session, Instant.now(),
                "scripted")), 1, true);
    }

    BlockingQueue<CommandRequest> requests() {
        return requests;
    }

    /** Correlation ids of requests whose signature was not central's. */
    List<String> unverified() {
        return unverified;
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}

package org.medida.central.ingest;

import java.util.Objects;

/**
 * How central connects to the broker: its URL, its client id (stable, so that the broker keeps central's session
 * and queues the gateways' messages while central restarts) and optional credentials (null for none).
 */
public record MqttSettings(String brokerUrl, String clientId, String username, char[] password) {

    public MqttSettings {
        Objects.requireNonNull(brokerUrl, "brokerUrl");
        Objects.requireNonNull(clientId, "clientId");
    }
}

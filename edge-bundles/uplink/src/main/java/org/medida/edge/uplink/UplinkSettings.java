package org.medida.edge.uplink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.medida.protocol.Topics;

/**
 * How the uplink reaches central and how hard it may push.
 *
 * @param brokerUrl           {@code tcp://host:port} or {@code ssl://host:port}
 * @param gatewayId           this gateway's id: its topics, its MQTT client id
 * @param username            MQTT user name, empty to connect without credentials
 * @param password            MQTT password
 * @param tls                 key material for {@code ssl://}, empty to use the JVM's default trust
 * @param stateDirectory      where the session number is kept across restarts
 * @param keepAlive           MQTT keep-alive: how soon the broker notices a dead gateway and sends its last will
 * @param inFlightBatches     batches published and awaiting central's acknowledgement at most (the window)
 * @param ackTimeout          a batch not acknowledged within this time is released and sent again later
 * @param maxEntriesPerBatch  rows per batch at most
 * @param reconnectMinBackoff first pause before reconnecting
 * @param reconnectMaxBackoff longest pause between attempts
 * @param maxBatchesPerSecond publish rate cap, 0 for none (the window alone paces the uplink then)
 */
public record UplinkSettings(String brokerUrl, String gatewayId, String username, String password,
        Optional<TlsMaterial> tls, Path stateDirectory, Duration keepAlive, int inFlightBatches, Duration ackTimeout,
        int maxEntriesPerBatch, Duration reconnectMinBackoff, Duration reconnectMaxBackoff,
        int maxBatchesPerSecond) {

    public UplinkSettings {
        Objects.requireNonNull(brokerUrl, "brokerUrl");
        if (!brokerUrl.startsWith("tcp://") && !brokerUrl.startsWith("ssl://")) {
            throw new IllegalArgumentException("broker URL must start with tcp:// or ssl://: " + brokerUrl);
        }
        if (!Topics.isValidGatewayId(gatewayId)) {
            throw new IllegalArgumentException("gateway id must be 1 to 64 of A-Z a-z 0-9 . _ -, not '" + gatewayId
                    + "'");
        }
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        requirePositive(keepAlive, "keepAlive");
        requirePositive(ackTimeout, "ackTimeout");
        requirePositive(reconnectMinBackoff, "reconnectMinBackoff");
        if (reconnectMaxBackoff.compareTo(reconnectMinBackoff) < 0) {
            throw new IllegalArgumentException("reconnect backoff: max " + reconnectMaxBackoff + " < min "
                    + reconnectMinBackoff);
        }
        if (inFlightBatches < 1 || maxEntriesPerBatch < 1 || maxBatchesPerSecond < 0) {
            throw new IllegalArgumentException("inFlightBatches and maxEntriesPerBatch must be at least 1, "
                    + "maxBatchesPerSecond at least 0");
        }
    }

    /** The defaults of the component's configuration, for one gateway and broker. */
    public static UplinkSettings defaults(String brokerUrl, String gatewayId, Path stateDirectory) {
        return new UplinkSettings(brokerUrl, gatewayId, "", "", Optional.empty(), stateDirectory,
                Duration.ofSeconds(30), 8, Duration.ofSeconds(30), 1000, Duration.ofSeconds(1),
                Duration.ofSeconds(60), 0);
    }

    /** The same settings with other MQTT credentials. */
    public UplinkSettings withCredentials(String newUsername, String newPassword) {
        return new UplinkSettings(brokerUrl, gatewayId, newUsername, newPassword, tls, stateDirectory, keepAlive,
                inFlightBatches, ackTimeout, maxEntriesPerBatch, reconnectMinBackoff, reconnectMaxBackoff,
                maxBatchesPerSecond);
    }

    /** The same settings over TLS with this key material. */
    public UplinkSettings withTls(TlsMaterial material) {
        return new UplinkSettings(brokerUrl, gatewayId, username, password, Optional.of(material), stateDirectory,
                keepAlive, inFlightBatches, ackTimeout, maxEntriesPerBatch, reconnectMinBackoff, reconnectMaxBackoff,
                maxBatchesPerSecond);
    }

    /** The same settings with another window, acknowledgement timeout, batch size and rate cap. */
    public UplinkSettings withFlow(int newInFlightBatches, Duration newAckTimeout, int newMaxEntriesPerBatch,
            int newMaxBatchesPerSecond) {
        return new UplinkSettings(brokerUrl, gatewayId, username, password, tls, stateDirectory, keepAlive,
                newInFlightBatches, newAckTimeout, newMaxEntriesPerBatch, reconnectMinBackoff, reconnectMaxBackoff,
                newMaxBatchesPerSecond);
    }

    /** The same settings with another keep-alive and reconnect backoff. */
    public UplinkSettings withConnection(Duration newKeepAlive, Duration newMinBackoff, Duration newMaxBackoff) {
        return new UplinkSettings(brokerUrl, gatewayId, username, password, tls, stateDirectory, newKeepAlive,
                inFlightBatches, ackTimeout, maxEntriesPerBatch, newMinBackoff, newMaxBackoff, maxBatchesPerSecond);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }

    /**
     * Key stores for TLS: the trust store holds the CA that signed the broker's certificate; the optional key store
     * holds this gateway's client certificate and key. Any type the JVM reads (PKCS12, JKS).
     */
    public record TlsMaterial(Path trustStore, String trustStorePassword, Optional<Path> keyStore,
            String keyStorePassword) {
        public TlsMaterial {
            Objects.requireNonNull(trustStore, "trustStore");
            Objects.requireNonNull(keyStore, "keyStore");
            trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
            keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
        }

        @Override
        public String toString() {
            return "TlsMaterial[trustStore=" + trustStore + ", keyStore=" + keyStore + "]";
        }
    }

    @Override
    public String toString() {
        return "UplinkSettings[" + brokerUrl + ", gateway " + gatewayId + ", user '" + username + "', tls " + tls
                + ", window " + inFlightBatches + ", ack timeout " + ackTimeout + "]";
    }
}

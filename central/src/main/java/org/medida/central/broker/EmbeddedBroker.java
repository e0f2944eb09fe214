package org.medida.central.broker;

import java.io.IOException;
import java.util.Properties;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import org.medida.protocol.Payloads;

/**
 * An MQTT broker inside central (Moquette), so the demo runs without installing one. It checks no credentials (a
 * gateway configured with some is let in too), keeps nothing on disk, has no websocket listener and no telemetry;
 * production uses a real broker with per-gateway credentials and an ACL.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** Room for the largest payload plus topic and packet headers. */
    private static final int MAX_MESSAGE_BYTES = Payloads.MAX_PAYLOAD_BYTES * 4;

    private final Server server;
    private final String host;
    private final int port;

    private EmbeddedBroker(Server server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /** Starts a broker listening on {@code host}:{@code port}. */
    public static EmbeddedBroker start(String host, int port) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("host", host);
        properties.setProperty("port", Integer.toString(port));
        properties.setProperty("websocket_port", "disabled");
        properties.setProperty("allow_anonymous", "true");
        properties.setProperty("persistence_enabled", "false");
        properties.setProperty("netty.mqtt.message_size", Integer.toString(MAX_MESSAGE_BYTES));
        properties.setProperty("immediate_buffer_flush", "true");
        // Moquette otherwise writes an id file into ./data and reports usage to its authors' server.
        properties.setProperty("telemetry_enabled", "false");
        Server server = new Server();
        server.startServer(new MemoryConfig(properties));
        return new EmbeddedBroker(server, host, port);
    }

    /** The URL clients connect to. */
    public String url() {
        String address = "0.0.0.0".equals(host) ? "127.0.0.1" : host;
        return "tcp://" + address + ":" + port;
    }

    @Override
    public void close() {
        server.stopServer();
    }
}

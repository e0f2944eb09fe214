package org.medida.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.medida.testing.MosquittoBroker;

/**
 * The site of an end-to-end test, as a JUnit extension of the test class: Mosquitto with one account for the gateway
 * and one for central, central on its own database, and the gateway's edge runtime, in {@code target/<name>}. When
 * the test fails, the last lines of every child's log are printed; after the class, every child is stopped by PID.
 */
final class EndToEndSite implements TestExecutionExceptionHandler, AfterAllCallback {

    /** Central's account at the broker. */
    static final String CENTRAL_USER = "central";
    static final String CENTRAL_PASSWORD = "central-secret";

    private final String name;
    private final String gateway;
    private final EndToEndChildren children;
    private Path work;
    private MosquittoBroker broker;
    private EndToEndCentral central;
    private RuntimeProcess edge;

    /** A site in {@code target/<name>} with one gateway, {@code gatewayId}; nothing runs before {@link #start}. */
    EndToEndSite(String name, String gatewayId) {
        this.name = name;
        this.gateway = gatewayId;
        this.children = new EndToEndChildren(name);
    }

    /** Empties the site's directory, starts the broker and central with more command-line options; returns central. */
    EndToEndCentral start(List<String> centralOptions) throws IOException, InterruptedException {
        work = EndToEndFiles.cleanDirectory(name);
        broker = children.add(MosquittoBroker.start(work.resolve("broker"),
                Map.of(gateway, gatewayPassword(), CENTRAL_USER, CENTRAL_PASSWORD)));
        children.log(broker.log());
        central = children.add(EndToEndCentral.start(work.resolve("central"), broker.url(), CENTRAL_USER,
                CENTRAL_PASSWORD, List.of(gateway), centralOptions));
        children.log(central.process().log());
        return central;
    }

    Path work() {
        return work;
    }

    MosquittoBroker broker() {
        return broker;
    }

    EndToEndChildren children() {
        return children;
    }

    /**
     * The edge runtime's configuration with its uplink to this site: the broker, the gateway's account, central's
     * public command key, a short keep-alive (central sees a lost gateway within seconds) and a quick reconnect.
     */
    RuntimeConfig edgeConfig() throws IOException {
        return RuntimeConfig.ofInstallation()
                .set("org.medida.edge.uplink", "brokerUrl", broker.url())
                .set("org.medida.edge.uplink", "gatewayId", gateway)
                .set("org.medida.edge.uplink", "username", gateway)
                .set("org.medida.edge.uplink", "password", gatewayPassword())
                .set("org.medida.edge.uplink", "commandPublicKey",
                        Files.readString(central.database().resolveSibling("command-key.pub")).strip())
                .set("org.medida.edge.uplink", "keepAliveSeconds", 5)
                .set("org.medida.edge.uplink", "reconnectMinBackoffMillis", 500)
                .set("org.medida.edge.uplink", "reconnectMaxBackoffMillis", 3000);
    }

    /** Starts the edge runtime on the site's data directory (kept across restarts) and {@code conf}. */
    RuntimeProcess startEdge(Path conf) throws IOException, InterruptedException {
        Path log = work.resolve("edge.log");
        if (edge == null) {
            children.log(log);
        }
        edge = RuntimeProcess.start("edge", work.resolve("edge-data"), conf, log);
        return edge;
    }

    /** The edge runtime started last. */
    RuntimeProcess edge() {
        return edge;
    }

    private String gatewayPassword() {
        return gateway + "-secret";
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        children.printLogTails();
        throw failure;
    }

    /** Every child, by PID: the edge first (so that it does not log a dead broker), then the rest in reverse order. */
    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        children.stop(edge);
    }
}

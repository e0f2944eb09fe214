package org.medida.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medida.testing.MosquittoBroker;

/**
 * The simulator hardware profile's runtime as an operator runs it: {@code bin/medida-edge} as a child process with
 * its own data and configuration directories, against a simulator process and a test Mosquitto. It starts with
 * every bundle active at its start level, applies the configuration files of {@code conf/load}, answers Gogo
 * commands on its loopback shell port, collects and publishes, and stops cleanly on SIGTERM.
 */
class RuntimeProcessTest {

    private static final String GATEWAY = "gw-runtime-test";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static Path work;
    private static MosquittoBroker broker;
    private static SimulatorProcess meters;
    private static Path conf;
    private static RuntimeProcess runtime;

    @BeforeAll
    static void startRuntimeAgainstFleetAndBroker() throws Exception {
        work = EndToEndFiles.cleanDirectory("runtime");
        broker = MosquittoBroker.start(work.resolve("broker"));
        Path metersFile = work.resolve("conf/meters.csv");
        meters = SimulatorProcess.start("runtime-fleet", EndToEndFiles.simulatorJar(), List.of("--meters", "4",
                "--meters-per-port", "2", "--base-port", "0", "--serial-prefix", "RTP", "--profile-period", "1m",
                "--inventory-out", metersFile.toString()), work, () -> Files.exists(metersFile));
        conf = RuntimeConfig.ofInstallation()
                .set("org.medida.edge.uplink", "brokerUrl", broker.url())
                .set("org.medida.edge.uplink", "gatewayId", GATEWAY)
                .set("org.medida.edge.collector", "initialBackfillHours", 1)
                .writeTo(work.resolve("conf"));
        runtime = RuntimeProcess.start("edge", work.resolve("data"), conf, work.resolve("edge.log"));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try (MosquittoBroker b = broker; SimulatorProcess m = meters; RuntimeProcess r = runtime) {
            // closed in reverse order: runtime, meters, broker
        }
    }

    @Test
    void everyBundleIsActiveAtItsStartLevel() throws IOException {
        List<RuntimeProcess.BundleRow> bundles = runtime.bundles();
        assertTrue(bundles.stream().allMatch(b -> b.state().equals("Active")), runtime.shell("lb -s"));
        Map<String, Integer> levels = bundles.stream().collect(
                Collectors.toMap(RuntimeProcess.BundleRow::symbolicName, RuntimeProcess.BundleRow::startLevel));
        assertEquals(1, levels.get("org.apache.aries.spifly.dynamic.bundle"), "the ServiceLoader Mediator first");
        assertEquals(2, levels.get("slf4j.api"));
        assertEquals(3, levels.get("org.apache.felix.configadmin"));
        assertEquals(4, levels.get("org.apache.felix.fileinstall"), "configuration files before Medida");
        for (String medida : List.of("medida-edge-api", "medida-protocol", "org.medida.edge.dlms",
                "org.medida.edge.store", "org.medida.edge.inventory", "org.medida.edge.collector",
                "org.medida.edge.uplink", "org.medida.edge.shell")) {
            assertEquals(6, levels.get(medida), medida);
        }
    }

    @Test
    void appliesTheConfigurationFilesOfConfLoad() throws Exception {
        Path data = work.resolve("data");
        // the store and the inventory keep their databases where conf/load says, inside the data directory
        awaitFile(data.resolve("store.db"));
        awaitFile(data.resolve("inventory.db"));
        // the inventory imported the meters file named there, the collector read the meters
        ProcessWait.until("every meter collected", TIMEOUT, () -> runtime.shell("medida:meters").lines()
                .filter(line -> line.startsWith("RTP") && line.contains("1.0.99.1.0.255=")).count() == 4);
        // the uplink connected to the broker named there, as the gateway named there
        ProcessWait.until("uplink connected", TIMEOUT,
                () -> runtime.shell("medida:uplink").contains("connected:         yes"));
        String uplink = runtime.shell("medida:uplink");
        assertTrue(uplink.contains(broker.url() + " as gateway " + GATEWAY), uplink);
    }

    @Test
    void answersGogoCommandsOnItsShellPort() throws IOException {
        assertEquals("hello\n", runtime.shell("echo hello"));
        assertTrue(runtime.shell("no-such-command").contains("CommandNotFoundException"));
        String backlog = runtime.shell("medida:backlog");
        assertTrue(backlog.contains("INTERVALS") && backlog.contains("bytes used"), backlog);
    }

    /** A second runtime on its own data directory, stopped with SIGTERM: it exits, and its store is intact. */
    @Test
    void stopsOnSigterm() throws Exception {
        Path data = work.resolve("data-sigterm");
        RuntimeProcess second = RuntimeProcess.start("edge-sigterm", data,
                RuntimeConfig.ofInstallation()
                        .set("org.medida.edge.uplink", "brokerUrl", broker.url())
                        .set("org.medida.edge.uplink", "gatewayId", GATEWAY + "-2")
                        .writeTo(work.resolve("conf-sigterm")),
                work.resolve("edge-sigterm.log"));
        awaitFile(data.resolve("store.db"));

        assertTrue(second.terminate(), "SIGTERM alone stops the runtime:\n" + second.process().tail(30));
        assertEquals("ok", integrityOf(data.resolve("store.db")));
        assertEquals("ok", integrityOf(data.resolve("inventory.db")));
    }

    private static void awaitFile(Path file) throws Exception {
        ProcessWait.until(file + " exists", TIMEOUT, () -> Files.exists(file));
    }

    private static String integrityOf(Path database) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = db.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
            result.next();
            return result.getString(1);
        }
    }
}

package org.medida.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.Priority;
import org.medida.edge.api.TaskKind;
import org.medida.protocol.CommandSigner;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;
import org.medida.testing.MosquittoBroker;
import org.sqlite.SQLiteConfig;

/**
 * Issue 4's work-order proof with real processes: Mosquitto with per-gateway credentials, central
 * ({@code medida-central.jar}), the edge runtime ({@code bin/medida-edge}) and a simulator process whose
 * {@code --state-file} reports each meter's relay independently of the DLMS path.
 * <ol>
 * <li>An on-demand read is answered with the simulator's A+ register (between its values before and after).</li>
 * <li>A disconnect opens the simulated relay; a reconnect closes it.</li>
 * <li>A disconnect signed with another key, and central's own disconnect published again byte for byte, are
 *     refused by the gateway: the relay stays closed.</li>
 * <li>With the edge runtime stopped, an order waits PENDING and runs when the runtime is back; one whose expiry
 *     passes meanwhile ends FAIL "expired".</li>
 * </ol>
 */
class EndToEndWorkOrdersTest {

    private static final String GATEWAY = "gw-wo";
    private static final String GATEWAY_PASSWORD = "gw-wo-secret";
    private static final String CENTRAL_PASSWORD = "central-secret";
    private static final String METER = "EWO000001";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private static final EndToEndChildren CHILDREN = new EndToEndChildren("e2e-wo");
    private static RuntimeProcess edge;

    private Path database;

    @Test
    void ordersRunEndToEndAndForgedOrReplayedDisconnectsAreRefused() throws Throwable {
        try {
            run();
        } catch (Throwable failure) {
            CHILDREN.printLogTails();
            throw failure;
        }
    }

    private void run() throws Exception {
        Path work = EndToEndFiles.cleanDirectory("e2e-workorders");
        MosquittoBroker broker = child(MosquittoBroker.start(work.resolve("broker"),
                Map.of(GATEWAY, GATEWAY_PASSWORD, "central", CENTRAL_PASSWORD)));
        CHILDREN.log(broker.log());
        EndToEndCentral central = child(EndToEndCentral.start(work.resolve("central"), broker.url(), "central",
                CENTRAL_PASSWORD, List.of(GATEWAY)));
        CHILDREN.log(central.process().log());
        database = central.database();
        String centralKey = Files.readString(database.resolveSibling("central.db.command-key.pub")).strip();

        Path meters = work.resolve("meters.csv");
        Path state = work.resolve("meter-state.txt");
        child(SimulatorProcess.start("EWO", EndToEndFiles.simulatorJar(), List.of("--meters", "2",
                "--base-port", "0", "--serial-prefix", "EWO", "--latency-ms", "20", "--profile-period", "15m",
                "--inventory-out", meters.toString(), "--state-file", state.toString()), work,
                () -> Files.exists(meters) && Files.exists(state)));
        CHILDREN.log(work.resolve("simulator-EWO.log"));

        Path conf = work.resolve("edge-conf");
        Files.createDirectories(conf);
        Files.copy(meters, conf.resolve("meters.csv"));
        RuntimeConfig.ofInstallation()
                .set("org.medida.edge.uplink", "brokerUrl", broker.url())
                .set("org.medida.edge.uplink", "gatewayId", GATEWAY)
                .set("org.medida.edge.uplink", "username", GATEWAY)
                .set("org.medida.edge.uplink", "password", GATEWAY_PASSWORD)
                .set("org.medida.edge.uplink", "keepAliveSeconds", 5)
                .set("org.medida.edge.uplink", "commandPublicKey", centralKey)
                .writeTo(conf);
        Path data = work.resolve("edge-data");
        edge = RuntimeProcess.start("edge", data, conf, work.resolve("edge.log"));
        CHILDREN.log(work.resolve("edge.log"));

        ProcessWait.until("the meter known at central", TIMEOUT, () -> count("SELECT COUNT(*) FROM meters "
                + "WHERE serial = '" + METER + "'") == 1);
        // Provisioning step, until the provisioning helper's API is merged: commission the meter on its gateway.
        execute("UPDATE meters SET state = 'commissioned', gateway_id = '" + GATEWAY + "', capabilities = "
                + "'disconnector,limiter,load_profile,events,instantaneous,clock' WHERE serial = '" + METER + "'");
        ProcessWait.until("the gateway online", TIMEOUT, () -> central.gateway(GATEWAY).orElseThrow().online());

        // (a) on-demand read, answered with the simulator's register
        long before = importWh(state);
        String read = submit(TaskKind.READ_REGISTERS, Duration.ofMinutes(5));
        Order readDone = awaitFinal(read);
        long after = importWh(state);
        assertEquals("EXE", readDone.state(), readDone.reason());
        BigDecimal wh = readDone.register("1.0.1.8.0.255").orElseThrow(() -> new AssertionError("no A+ in "
                + readDone));
        print("read A+ " + wh + " Wh, simulator " + before + ".." + after + " Wh");
        assertTrue(wh.compareTo(BigDecimal.valueOf(before)) >= 0 && wh.compareTo(BigDecimal.valueOf(after)) <= 0,
                wh + " outside " + before + ".." + after);

        // (b) disconnect opens the relay, reconnect closes it
        assertEquals("closed", relay(state));
        Order disconnect = awaitFinal(submit(TaskKind.DISCONNECT, Duration.ofMinutes(5)));
        assertEquals("EXE", disconnect.state(), disconnect.reason());
        ProcessWait.until("the simulated relay open", TIMEOUT, () -> relay(state).equals("open"));
        assertEquals(0, count("SELECT relay_closed FROM meters WHERE serial = '" + METER + "'"));
        BlockingQueue<byte[]> requests = new LinkedBlockingQueue<>();
        MqttClient eavesdropper = centralUser(broker, "e2e-eavesdropper");
        CHILDREN.add((AutoCloseable) () -> {
            eavesdropper.disconnect();
            eavesdropper.close();
        });
        eavesdropper.subscribe(Topics.commandRequest(GATEWAY), 1, (topic, message) -> requests.add(
                message.getPayload()));
        Order reconnect = awaitFinal(submit(TaskKind.RECONNECT, Duration.ofMinutes(5)));
        assertEquals("EXE", reconnect.state(), reconnect.reason());
        ProcessWait.until("the simulated relay closed", TIMEOUT, () -> relay(state).equals("closed"));
        Order secondDisconnect = awaitFinal(submit(TaskKind.DISCONNECT, Duration.ofMinutes(5)));
        ProcessWait.until("the relay open again", TIMEOUT, () -> relay(state).equals("open"));
        byte[] centralsDisconnect = lastRequest(requests);
        Order secondReconnect = awaitFinal(submit(TaskKind.RECONNECT, Duration.ofMinutes(5)));
        assertEquals("EXE", secondDisconnect.state());
        assertEquals("EXE", secondReconnect.state());
        ProcessWait.until("the relay closed again", TIMEOUT, () -> relay(state).equals("closed"));

        // (d) a forged disconnect and a replayed one are refused; the relay stays closed
        String forgedId = UUID.randomUUID().toString();
        byte[] forged = Payloads.encodeSignedTask(new MeterTask(forgedId, METER, TaskKind.DISCONNECT, 0,
                Priority.HIGH, Instant.now().plusSeconds(300)), Instant.now(), UUID.randomUUID().toString(),
                new CommandSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate()));
        eavesdropper.publish(Topics.commandRequest(GATEWAY), forged, 1, false);
        ProcessWait.until("the forged disconnect answered", TIMEOUT, () -> count("SELECT COUNT(*) FROM "
                + "command_results WHERE correlation_id = '" + forgedId + "' AND status = 'FAIL' AND detail = "
                + "'unauthenticated command'") == 1);
        eavesdropper.publish(Topics.commandRequest(GATEWAY), centralsDisconnect, 1, false);
        ProcessWait.until("the replay refused at the gateway", TIMEOUT,
                () -> Files.readString(work.resolve("edge.log")).contains("replayed command"));
        Thread.sleep(2000);
        assertEquals("closed", relay(state), "neither the forged nor the replayed disconnect ran");

        // (c) the gateway offline: one order waits and runs on its return, one expires meanwhile
        edge.terminate();
        ProcessWait.until("central seeing the gateway offline", TIMEOUT,
                () -> !central.gateway(GATEWAY).orElseThrow().online());
        String waiting = submit(TaskKind.READ_REGISTERS, Duration.ofMinutes(10));
        String expiring = submit(TaskKind.DISCONNECT, Duration.ofSeconds(3));
        Order expired = awaitFinal(expiring);
        assertEquals("FAIL", expired.state());
        assertEquals("expired", expired.reason());
        assertEquals("PENDING", order(waiting).state());
        edge = RuntimeProcess.start("edge", data, conf, work.resolve("edge.log"));
        Order ranOnReturn = awaitFinal(waiting);
        assertEquals("EXE", ranOnReturn.state(), ranOnReturn.reason());
        assertEquals("closed", relay(state), "the expired disconnect never ran");
        edge.terminate();
    }

    // ---- central's work orders, read and written in its database

    record Order(String state, String reason, List<String[]> registers) {
        Optional<BigDecimal> register(String obis) {
            return registers.stream().filter(r -> r[0].equals(obis))
                    .map(r -> new BigDecimal(r[2]).scaleByPowerOfTen(r[1].equals("kWh") ? 3 : 0)).findFirst();
        }
    }

    /**
     * Submits an order as POST /api/workorders does, through the table central's work-order scheduler reads (the
     * operators' login, needed by the HTTP route, is not merged yet; the lead switches this to the HTTP API).
     */
    private String submit(TaskKind kind, Duration expiresIn) throws SQLException {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        try (Connection db = open(); PreparedStatement insert = db.prepareStatement("INSERT INTO work_orders "
                + "(correlation_id, serial, gateway_id, kind, priority, state, origin, max_attempts, created_at, "
                + "not_before, expires_at) VALUES (?, ?, ?, ?, 'HIGH', 'PENDING', 'user:e2e', 1, ?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, METER);
            insert.setString(3, GATEWAY);
            insert.setString(4, kind.name());
            insert.setLong(5, now);
            insert.setLong(6, now);
            insert.setLong(7, now + expiresIn.toMillis());
            insert.executeUpdate();
        }
        print("submitted " + kind + " " + id);
        return id;
    }

    private Order awaitFinal(String id) throws Exception {
        ProcessWait.until("work order " + id + " final", TIMEOUT, () -> List.of("EXE", "WARN", "FAIL")
                .contains(order(id).state()));
        Order order = order(id);
        print("order " + id + ": " + order.state() + " " + order.reason());
        return order;
    }

    private Order order(String id) throws SQLException {
        try (Connection db = open()) {
            String state;
            String reason;
            try (PreparedStatement query = db.prepareStatement("SELECT state, reason FROM work_orders "
                    + "WHERE correlation_id = ?")) {
                query.setString(1, id);
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    state = row.getString(1);
                    reason = row.getString(2);
                }
            }
            List<String[]> registers = new ArrayList<>();
            try (PreparedStatement query = db.prepareStatement("SELECT obis, unit, value FROM work_order_registers "
                    + "WHERE correlation_id = ? ORDER BY position")) {
                query.setString(1, id);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        registers.add(new String[] {row.getString(1), row.getString(2), row.getString(3)});
                    }
                }
            }
            return new Order(state, reason, registers);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection db = open(); PreparedStatement query = db.prepareStatement(sql);
                ResultSet row = query.executeQuery()) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection db = open(); PreparedStatement statement = db.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }

    private Connection open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(30_000);
        return config.createConnection("jdbc:sqlite:" + database);
    }

    // ---- the simulator's own report of its meters

    private static String field(Path stateFile, String name) throws IOException {
        for (String line : Files.readAllLines(stateFile, StandardCharsets.UTF_8)) {
            if (line.startsWith(METER + " ")) {
                for (String part : line.split(" ")) {
                    if (part.startsWith(name + "=")) {
                        return part.substring(name.length() + 1);
                    }
                }
            }
        }
        throw new AssertionError(METER + " has no " + name + " in " + stateFile);
    }

    private static String relay(Path stateFile) throws IOException {
        return field(stateFile, "relay");
    }

    private static long importWh(Path stateFile) throws IOException {
        return Long.parseLong(field(stateFile, "importWh"));
    }

    private static byte[] lastRequest(BlockingQueue<byte[]> requests) throws InterruptedException {
        byte[] last = requests.poll(30, TimeUnit.SECONDS);
        for (byte[] next = requests.poll(); next != null; next = requests.poll()) {
            last = next;
        }
        if (last == null) {
            throw new AssertionError("central's request was not seen on the broker");
        }
        return last;
    }

    private static MqttClient centralUser(MosquittoBroker broker, String clientId) throws Exception {
        MqttClient client = new MqttClient(broker.url(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("central");
        options.setPassword(CENTRAL_PASSWORD.toCharArray());
        client.connect(options);
        return client;
    }

    private static <T extends AutoCloseable> T child(T process) {
        return CHILDREN.add(process);
    }

    private static void print(String text) {
        CHILDREN.print(text);
    }

    @AfterAll
    static void stopEveryChild() throws Exception {
        CHILDREN.stop(edge);
    }
}

package org.medida.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.Priority;
import org.medida.edge.api.TaskKind;
import org.medida.protocol.CommandSigner;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;
import org.medida.testing.MosquittoBroker;

/**
 * Issue 4's work-order proof with real processes: Mosquitto with per-gateway credentials, central
 * ({@code medida-central.jar}), the edge runtime ({@code bin/medida-edge}) and a simulator process whose
 * {@code --state-file} reports each meter's relay independently of the DLMS path. The operator works through
 * central's HTTP API only: the meters are registered and commissioned there (the gateway starts with an empty meter
 * table and gets them from central), orders are submitted and followed there.
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
    private static final String METER = "EWO000001";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    static final EndToEndSite SITE = new EndToEndSite("e2e-workorders", GATEWAY);

    @Test
    void ordersRunEndToEndAndForgedOrReplayedDisconnectsAreRefused() throws Exception {
        EndToEndCentral central = SITE.start(List.of());
        Path work = SITE.work();
        Path meters = work.resolve("meters.csv");
        Path state = work.resolve("meter-state.txt");
        SITE.children().add(SimulatorProcess.start("EWO", EndToEndFiles.simulatorJar(), List.of("--meters", "2",
                "--base-port", "0", "--serial-prefix", "EWO", "--latency-ms", "20", "--profile-period", "15m",
                "--inventory-out", meters.toString(), "--state-file", state.toString()), work,
                () -> Files.exists(meters) && Files.exists(state)));
        SITE.children().log(work.resolve("simulator-EWO.log"));

        // the operator provisions the meters through central before the gateway is up: central sends them to the
        // gateway, which starts with an empty meter table, when it comes online
        CentralApi api = central.operator();
        api.provision(meters, GATEWAY);
        Path conf = SITE.edgeConfig().writeTo(work.resolve("edge-conf"));
        SITE.startEdge(conf);
        api.awaitCommissioned(GATEWAY, 2, TIMEOUT);

        // (a) on-demand read, answered with the simulator's register
        long before = importWh(state);
        CentralApi.Order readDone = awaitEnd(api, submit(api, TaskKind.READ_REGISTERS, Duration.ofMinutes(5)));
        long after = importWh(state);
        assertEquals("EXE", readDone.state(), readDone.reason());
        BigDecimal wh = readDone.register("1.0.1.8.0.255").orElseThrow(() -> new AssertionError("no A+ in "
                + readDone));
        print("read A+ " + wh + " Wh, simulator " + before + ".." + after + " Wh");
        assertTrue(wh.compareTo(BigDecimal.valueOf(before)) >= 0 && wh.compareTo(BigDecimal.valueOf(after)) <= 0,
                wh + " outside " + before + ".." + after);

        // (b) disconnect opens the relay, reconnect closes it
        assertEquals("closed", relay(state));
        CentralApi.Order disconnect = awaitEnd(api, submit(api, TaskKind.DISCONNECT, Duration.ofMinutes(5)));
        assertEquals("EXE", disconnect.state(), disconnect.reason());
        ProcessWait.until("the simulated relay open", TIMEOUT, () -> relay(state).equals("open"));
        assertEquals("false", api.meter(METER).path("relayClosed").asText(), "central shows the relay open");
        BlockingQueue<byte[]> requests = new LinkedBlockingQueue<>();
        MqttClient eavesdropper = centralUser(SITE.broker(), "e2e-eavesdropper");
        SITE.children().add((AutoCloseable) () -> {
            eavesdropper.disconnect();
            eavesdropper.close();
        });
        eavesdropper.subscribe(Topics.commandRequest(GATEWAY), 1, (topic, message) -> requests.add(
                message.getPayload()));
        CentralApi.Order reconnect = awaitEnd(api, submit(api, TaskKind.RECONNECT, Duration.ofMinutes(5)));
        assertEquals("EXE", reconnect.state(), reconnect.reason());
        ProcessWait.until("the simulated relay closed", TIMEOUT, () -> relay(state).equals("closed"));
        CentralApi.Order secondDisconnect = awaitEnd(api, submit(api, TaskKind.DISCONNECT, Duration.ofMinutes(5)));
        ProcessWait.until("the relay open again", TIMEOUT, () -> relay(state).equals("open"));
        byte[] centralsDisconnect = lastRequest(requests);
        CentralApi.Order secondReconnect = awaitEnd(api, submit(api, TaskKind.RECONNECT, Duration.ofMinutes(5)));
        assertEquals("EXE", secondDisconnect.state());
        assertEquals("EXE", secondReconnect.state());
        ProcessWait.until("the relay closed again", TIMEOUT, () -> relay(state).equals("closed"));

        // (d) a forged disconnect and a replayed one are refused; the relay stays closed
        String forgedId = UUID.randomUUID().toString();
        byte[] forged = Payloads.encodeSignedTask(new MeterTask(forgedId, METER, TaskKind.DISCONNECT, 0,
                Priority.HIGH, Instant.now().plusSeconds(300)), Instant.now(), UUID.randomUUID().toString(),
                new CommandSigner(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate()));
        eavesdropper.publish(Topics.commandRequest(GATEWAY), forged, 1, false);
        // no work order holds the forged request, so only central's table of command results shows the answer
        ProcessWait.until("the forged disconnect answered", TIMEOUT, () -> central.commandResult(forgedId)
                .equals(Optional.of(new EndToEndCentral.CommandResult("FAIL", "unauthenticated command"))));
        eavesdropper.publish(Topics.commandRequest(GATEWAY), centralsDisconnect, 1, false);
        ProcessWait.until("the replay refused at the gateway", TIMEOUT,
                () -> Files.readString(work.resolve("edge.log")).contains("replayed command"));
        Thread.sleep(2000);
        assertEquals("closed", relay(state), "neither the forged nor the replayed disconnect ran");

        // (c) the gateway offline: one order waits and runs on its return, one expires meanwhile
        SITE.edge().terminate();
        ProcessWait.until("central seeing the gateway offline", TIMEOUT, () -> !api.gatewayOnline(GATEWAY));
        String waiting = submit(api, TaskKind.READ_REGISTERS, Duration.ofMinutes(10));
        String expiring = submit(api, TaskKind.DISCONNECT, Duration.ofSeconds(3));
        CentralApi.Order expired = awaitEnd(api, expiring);
        assertEquals("FAIL", expired.state());
        assertEquals("expired", expired.reason());
        assertEquals("PENDING", api.order(waiting).state());
        SITE.startEdge(conf);
        CentralApi.Order ranOnReturn = awaitEnd(api, waiting);
        assertEquals("EXE", ranOnReturn.state(), ranOnReturn.reason());
        assertEquals("closed", relay(state), "the expired disconnect never ran");
        SITE.edge().terminate();
    }

    private static String submit(CentralApi api, TaskKind kind, Duration expiresIn) throws Exception {
        String id = api.submitOrder(METER, kind, expiresIn);
        print("submitted " + kind + " " + id);
        return id;
    }

    private static CentralApi.Order awaitEnd(CentralApi api, String id) throws Exception {
        CentralApi.Order order = api.awaitEnd(id, TIMEOUT);
        print("order " + id + ": " + order.state() + " " + order.reason());
        return order;
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
        options.setUserName(EndToEndSite.CENTRAL_USER);
        options.setPassword(EndToEndSite.CENTRAL_PASSWORD.toCharArray());
        client.connect(options);
        return client;
    }

    private static void print(String text) {
        SITE.children().print(text);
    }
}

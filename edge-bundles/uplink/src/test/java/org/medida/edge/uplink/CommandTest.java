package org.medida.edge.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.edge.uplink.CentralStandIn.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.Priority;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.protocol.CommandSigner;
import org.medida.protocol.CommandVerifier;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;

/** Central's command requests: answered under their correlation id, whatever arrives and whenever. */
class CommandTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String GATEWAY = "gw-cmd";

    @TempDir
    Path work;

    private Bench bench;
    private SqliteReadingStore store;
    private CentralStandIn central;

    /** The collector's part: each task's outcome is completed by the test, or at once if it reads registers. */
    private final Map<String, CompletableFuture<TaskOutcome>> running = new ConcurrentHashMap<>();
    private final OnDemandWork collector = this::run;
    private final KeyPair centralKeys = keyPair();

    private static KeyPair keyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private CompletionStage<TaskOutcome> run(MeterTask task) {
        CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
        running.put(task.correlationId(), outcome);
        if (task.kind() == TaskKind.READ_REGISTERS) {
            outcome.complete(new TaskOutcome(task.correlationId(), task.serial(), TaskStatus.EXE, "",
                    Instant.now(), List.of(new RegisterReading("1.0.1.8.0.255", new BigDecimal("1234.5"), "kWh",
                            null, Instant.now())), null));
        }
        return outcome;
    }

    @BeforeEach
    void start() throws Exception {
        bench = Bench.start(work, GATEWAY);
        store = bench.store();
        central = bench.central;
    }

    @AfterEach
    void stop() throws Exception {
        bench.close();
    }

    private UplinkSettings settings(String brokerUrl) {
        return UplinkSettings.defaults(brokerUrl, GATEWAY, work.resolve("state"))
                .withConnection(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    private static MeterTask task(String correlationId, TaskKind kind, Instant expiresAt) {
        return new MeterTask(correlationId, "MTR-1", kind, 0, Priority.HIGH, expiresAt);
    }

    private void request(MeterTask task) throws Exception {
        central.publish(Topics.commandRequest(GATEWAY), Payloads.encodeTask(task));
    }

    /** A request signed with central's key, as central sends it; returns the bytes sent. */
    private byte[] signedRequest(MeterTask task) throws Exception {
        byte[] payload = Payloads.encodeSignedTask(task, Instant.now(), UUID.randomUUID().toString(),
                new CommandSigner(centralKeys.getPrivate()));
        central.publish(Topics.commandRequest(GATEWAY), payload);
        return payload;
    }

    private MqttUplink uplink(String brokerUrl) {
        return new MqttUplink(settings(brokerUrl), store, () -> Optional.of(collector),
                Optional.of(new CommandVerifier(centralKeys.getPublic())));
    }

    private TaskOutcome outcomeOf(String correlationId) {
        await("the outcome of " + correlationId, WAIT,
                () -> central.outcomes().stream().anyMatch(o -> o.correlationId().equals(correlationId)));
        return central.outcomes().stream().filter(o -> o.correlationId().equals(correlationId)).findFirst()
                .orElseThrow();
    }

    @Test
    void aRequestIsRunAndAnsweredUnderItsCorrelationId() throws Exception {
        TaskOutcome outcome = answerTo(task("wo-1", TaskKind.READ_REGISTERS, Instant.now().plusSeconds(300)),
                Optional.of(collector));
        assertEquals(TaskStatus.EXE, outcome.status());
        assertEquals("MTR-1", outcome.serial());
        assertEquals(0, new BigDecimal("1234.5").compareTo(outcome.registers().get(0).value()));
    }

    @Test
    void anExpiredRequestAndOneWithoutCollectionFailWithTheReason() throws Exception {
        TaskOutcome expired = answerTo(task("wo-late", TaskKind.READ_REGISTERS, Instant.now().minusSeconds(1)),
                Optional.of(collector));
        assertEquals(TaskStatus.FAIL, expired.status());
        assertEquals("expired", expired.detail());
        assertTrue(running.isEmpty(), "an expired task never reaches the collector");

        TaskOutcome noCollection = answerTo(task("wo-nobody", TaskKind.READ_REGISTERS,
                Instant.now().plusSeconds(300)), Optional.empty());
        assertEquals(TaskStatus.FAIL, noCollection.status());
        assertEquals("collection not running", noCollection.detail());
    }

    /** Starts an uplink with or without collection, sends it the request and returns central's answer. */
    private TaskOutcome answerTo(MeterTask task, Optional<OnDemandWork> work) throws Exception {
        try (MqttUplink uplink = new MqttUplink(settings(bench.broker.url()), store, () -> work)) {
            await("connected", WAIT, () -> uplink.status().connected());
            request(task);
            return outcomeOf(task.correlationId());
        }
    }

    @Test
    void malformedAcknowledgementsAndRequestsAreSurvivedAndAnsweredWhereTheyCanBe() throws Exception {
        try (MqttUplink uplink = new MqttUplink(settings(bench.broker.url()), store, () -> Optional.of(collector));
                LogRecords log = new LogRecords()) {
            await("connected", WAIT, () -> uplink.status().connected());
            byte[] validAck = Payloads.encodeAck(org.medida.protocol.BatchAck.committed(1));
            byte[] validTask = Payloads.encodeTask(task("wo-cut", TaskKind.READ_REGISTERS,
                    Instant.now().plusSeconds(300)));
            central.publish(Topics.ack(GATEWAY), new byte[0]);
            central.publish(Topics.ack(GATEWAY), "not a medida message".getBytes());
            central.publish(Topics.ack(GATEWAY), Arrays.copyOf(validAck, validAck.length - 1));
            central.publish(Topics.commandRequest(GATEWAY), new byte[] { 'M', 1, 4, (byte) 0xFF });
            // Cut right after the correlation id: the request cannot run, but central learns why.
            central.publish(Topics.commandRequest(GATEWAY), Arrays.copyOf(validTask, 3 + 1 + "wo-cut".length() + 2));

            TaskOutcome malformed = outcomeOf("wo-cut");
            assertEquals(TaskStatus.FAIL, malformed.status());
            assertTrue(malformed.detail().startsWith("malformed: "), malformed.detail());
            await("every bad message logged", WAIT, () -> log.problemsContaining("malformed") == 5);

            // Still running: data flows and a good request is answered.
            Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 1);
            await("the data delivered", WAIT, () -> Readings.rowsIn(store) == 0);
            request(task("wo-after", TaskKind.READ_REGISTERS, Instant.now().plusSeconds(300)));
            assertEquals(TaskStatus.EXE, outcomeOf("wo-after").status());
        }
    }

    @Test
    void outcomesProducedWhileOfflineGoOutFirstOnReconnection() throws Exception {
        try (LinkCut wan = new LinkCut(bench.broker.port());
                MqttUplink uplink = uplink(wan.url())) {
            await("connected", WAIT, () -> uplink.status().connected());
            signedRequest(task("wo-slow", TaskKind.DISCONNECT, Instant.now().plusSeconds(300)));
            await("the task running", WAIT, () -> running.containsKey("wo-slow"));

            wan.cut();
            await("offline", WAIT, () -> !uplink.status().connected());
            Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 2);
            running.get("wo-slow").complete(new TaskOutcome("wo-slow", "MTR-1", TaskStatus.EXE, "", Instant.now(),
                    List.of(), null));
            await("the outcome waiting", WAIT, () -> uplink.status().waitingOutcomes() == 1);

            wan.restore();
            await("the backlog delivered", WAIT, () -> Readings.rowsIn(store) == 0);
            List<String> arrivals = central.arrivals();
            assertEquals("outcome:wo-slow", arrivals.get(0), "the outcome goes before any batch: " + arrivals);
            assertEquals(3, arrivals.size(), arrivals.toString());
            await("the outcome acknowledged by the broker", WAIT, () -> uplink.status().waitingOutcomes() == 0);
        }
    }

    @Test
    void supplyStateCommandsRunOnlySignedByCentralAndOnce() throws Exception {
        try (MqttUplink uplink = uplink(bench.broker.url())) {
            await("connected", WAIT, () -> uplink.status().connected());
            byte[] signed = signedRequest(task("wo-off", TaskKind.DISCONNECT, Instant.now().plusSeconds(300)));
            await("the disconnect running", WAIT, () -> running.containsKey("wo-off"));
            running.get("wo-off").complete(new TaskOutcome("wo-off", "MTR-1", TaskStatus.EXE, "", Instant.now(),
                    List.of(), null));
            assertEquals(TaskStatus.EXE, outcomeOf("wo-off").status());

            request(task("wo-unsigned", TaskKind.RECONNECT, Instant.now().plusSeconds(300)));
            TaskOutcome unsigned = outcomeOf("wo-unsigned");
            assertEquals(TaskStatus.FAIL, unsigned.status());
            assertEquals("unauthenticated command", unsigned.detail());

            running.clear();
            central.publish(Topics.commandRequest(GATEWAY), signed);
            await("the replay answered", WAIT, () -> central.outcomes().stream()
                    .anyMatch(o -> o.correlationId().equals("wo-off") && o.detail().equals("replayed command")));
            assertTrue(running.isEmpty(), "a replay never reaches the collector");
        }
    }
}

package org.medida.central.workorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.central.CentralFixture.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.TestDatabases;
import org.medida.central.CentralFixture;
import org.medida.central.db.Database;
import org.medida.central.events.AlarmRules;
import org.medida.central.gateways.Gateways;
import org.medida.central.ingest.IngestService;
import org.medida.central.ingest.MqttSettings;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.Priority;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.protocol.CommandRequest;
import org.medida.testing.MosquittoBroker;

/** Work orders on real SQLite, a real Mosquitto, central's real ingest and a scripted gateway. */
class WorkOrderServiceTest {

    private static final String GATEWAY = "gw-wo";
    private static final String METER = "SIM000001";
    private static final String ALL = "disconnector,limiter,load_profile,events,instantaneous,clock";

    @TempDir
    Path work;

    private MosquittoBroker broker;
    private Database database;
    private IngestService ingest;
    private WorkOrderService orders;
    private ScriptedGateway gateway;
    private final List<WorkOrder> completed = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<MeterTask> direct = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = MosquittoBroker.start(work.resolve("broker"));
        Path file = work.resolve("central.db");
        database = TestDatabases.open(file);
        Gateways gateways = Gateways.load(database);
        gateways.register(database, List.of(GATEWAY), Instant.now());
        CommandKeys keys = CommandKeys.in(file.getParent());
        ingest = IngestService.create(database, gateways, new MqttSettings(broker.url(), "central-wo", null, null),
                Clock.systemUTC());
        OnDemandWork link = task -> {
            direct.add(task);
            return CompletableFuture.completedFuture(new TaskOutcome(task.correlationId(), task.serial(),
                    TaskStatus.EXE, "", Instant.now(), List.of(register("7.5")), null));
        };
        orders = new WorkOrderService(database, ingest::publish, link, keys.signer(), Duration.ofSeconds(2),
                Clock.systemUTC());
        orders.onCompletion(completed::add);
        ingest.addListener(orders);
        ingest.connect();
        gateway = new ScriptedGateway(broker.url(), GATEWAY, keys.publicKeyBase64());
        // Provisioning step (the provisioning helper's API replaces it): a commissioned meter on the gateway.
        meter(METER, "commissioned", "gateway", GATEWAY, ALL);
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        orders.close();
        ingest.close();
        broker.close();
    }

    private void meter(String serial, String state, String connection, String gatewayId, String capabilities)
            throws SQLException {
        try (Connection c = database.connect(); PreparedStatement insert = c.prepareStatement("INSERT INTO meters "
                + "(serial, gateway_id, first_seen, state, connection, capabilities) VALUES (?, ?, 0, ?, ?, ?)")) {
            insert.setString(1, serial);
            insert.setString(2, gatewayId);
            insert.setString(3, state);
            insert.setString(4, connection);
            insert.setString(5, capabilities);
            insert.executeUpdate();
        }
    }

    private static RegisterReading register(String value) {
        return new RegisterReading("1.0.1.8.0.255", new BigDecimal(value), "kWh", null, Instant.now());
    }

    private static WorkOrderRequest request(String serial, TaskKind kind, Priority priority, Duration expiresIn,
            RetryPolicy retry) {
        Instant now = Instant.now();
        return new WorkOrderRequest(serial, kind, 0, priority, now, now.plus(expiresIn), retry, "user:test", null);
    }

    private static WorkOrderRequest request(String serial, TaskKind kind) {
        return request(serial, kind, Priority.HIGH, Duration.ofMinutes(5), RetryPolicy.ONCE);
    }

    private static TaskOutcome exe(CommandRequest request, SupplyState supply, RegisterReading... registers) {
        return new TaskOutcome(request.task().correlationId(), request.task().serial(), TaskStatus.EXE, "",
                Instant.now(), List.of(registers), supply);
    }

    private WorkOrder awaitFinal(String correlationId) throws Exception {
        await("order " + correlationId + " final", () -> {
            try {
                return orders.find(correlationId).orElseThrow().state().isFinal();
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        });
        return orders.find(correlationId).orElseThrow();
    }

    private long number(String sql) throws SQLException {
        return CentralFixture.number(work.resolve("central.db"), sql);
    }

    private String text(String sql) throws SQLException {
        return CentralFixture.text(work.resolve("central.db"), sql);
    }

    @Test
    void aReadIsSignedSentAndAnsweredUnderItsCorrelationId() throws Exception {
        gateway.script(request -> exe(request, null, register("1234.500")));
        gateway.status(true);
        WorkOrder order = orders.submit(request(METER, TaskKind.READ_REGISTERS));
        assertEquals(GATEWAY, order.gatewayId());

        WorkOrder done = awaitFinal(order.correlationId());
        assertEquals(OrderState.EXE, done.state());
        assertEquals(1, done.attempts());
        assertEquals("1234.500", done.registers().get(0).value().toPlainString(), "the meter's digits, as sent");
        CommandRequest sent = gateway.requests().poll(1, TimeUnit.SECONDS);
        assertEquals(order.correlationId(), sent.task().correlationId(), "W5: one id from request to result");
        assertTrue(sent.isSigned());
        assertTrue(gateway.unverified().isEmpty(), "signed with the key in the .pub file");
        assertEquals(1, number("SELECT reachable FROM meters WHERE serial = '" + METER + "'"));
        await("the listener told", () -> completed.size() == 1);
        assertEquals(OrderState.EXE, completed.get(0).state());
    }

    @Test
    void aDisconnectRecordsTheRelayReadBack() throws Exception {
        gateway.script(request -> exe(request, new SupplyState(false, SupplyState.DISCONNECTED)));
        gateway.status(true);
        WorkOrder done = awaitFinal(orders.submit(request(METER, TaskKind.DISCONNECT)).correlationId());
        assertEquals(OrderState.EXE, done.state());
        assertEquals(new SupplyState(false, SupplyState.DISCONNECTED), done.supplyState());
        assertEquals(0, number("SELECT relay_closed FROM meters WHERE serial = '" + METER + "'"));
    }

    @Test
    void validationFailuresAreFailedOrdersWithTheReasonAndAnEvent() throws Exception {
        meter("DISCOVERED1", "discovered", "gateway", GATEWAY, ALL);
        meter("PLAIN1", "commissioned", "gateway", GATEWAY, "");
        assertFailed(request("NOSUCH", TaskKind.READ_REGISTERS), "unknown meter NOSUCH");
        assertFailed(request("DISCOVERED1", TaskKind.READ_REGISTERS),
                "meter DISCOVERED1 is not commissioned (state discovered)");
        assertFailed(request("PLAIN1", TaskKind.DISCONNECT),
                "meter PLAIN1 does not support DISCONNECT (needs capability disconnector)");
        assertFailed(request(METER, TaskKind.READ_REGISTERS, Priority.HIGH, Duration.ofSeconds(-1), RetryPolicy.ONCE),
                "expired");
        assertEquals(4, number("SELECT COUNT(*) FROM central_events WHERE source = 'work_order'"));
        assertEquals("meter not commissioned", text("SELECT name FROM central_events WHERE serial = 'DISCOVERED1'"));
        await("every failure announced", () -> completed.size() == 4);
        assertTrue(gateway.requests().isEmpty(), "nothing invalid is sent");
    }

    private void assertFailed(WorkOrderRequest request, String reason) throws Exception {
        WorkOrder order = orders.submit(request);
        assertEquals(OrderState.FAIL, order.state(), reason);
        assertEquals(reason, order.reason());
        assertTrue(order.completedAt() != null);
    }

    @Test
    void anOrderForAnOfflineGatewayWaitsRunsWhenItReturnsOrExpires() throws Exception {
        gateway.script(request -> exe(request, null, register("1")));
        WorkOrder waiting = orders.submit(request(METER, TaskKind.READ_REGISTERS));
        WorkOrder expiring = orders.submit(request(METER, TaskKind.READ_REGISTERS, Priority.HIGH,
                Duration.ofSeconds(1), RetryPolicy.ONCE));
        WorkOrder expired = awaitFinal(expiring.correlationId());
        assertEquals(OrderState.FAIL, expired.state());
        assertEquals("expired", expired.reason());
        assertEquals(OrderState.PENDING, orders.find(waiting.correlationId()).orElseThrow().state());
        assertTrue(gateway.requests().isEmpty());

        gateway.status(true);
        assertEquals(OrderState.EXE, awaitFinal(waiting.correlationId()).state());
        assertEquals("work order expired", text("SELECT name FROM central_events WHERE dedup_key = 'work_order:"
                + expiring.correlationId() + "'"));
    }

    @Test
    void highPriorityGoesFirstWhenSeveralAreDue() throws Exception {
        // Due since a minute ago, so both are due for any dispatch that sees them: the dispatch the first submit
        // starts may read the orders only after the second one is stored and the gateway is online.
        Instant due = Instant.now().minus(Duration.ofMinutes(1));
        Instant expiry = Instant.now().plus(Duration.ofMinutes(5));
        WorkOrder normal = orders.submit(new WorkOrderRequest(METER, TaskKind.READ_PROFILE, 0, Priority.NORMAL, due,
                expiry, RetryPolicy.ONCE, "user:test", null));
        WorkOrder high = orders.submit(new WorkOrderRequest(METER, TaskKind.DISCONNECT, 0, Priority.HIGH, due, expiry,
                RetryPolicy.ONCE, "user:test", null));
        gateway.status(true);
        assertEquals(high.correlationId(), gateway.requests().poll(30, TimeUnit.SECONDS).task().correlationId());
        assertEquals(normal.correlationId(), gateway.requests().poll(30, TimeUnit.SECONDS).task().correlationId());
        assertEquals(Priority.HIGH, high.priority());
    }

    @Test
    void aFailedAttemptIsRetriedUnderANewRequestIdThenSucceeds() throws Exception {
        gateway.script(request -> request.task().correlationId().contains("/")
                ? exe(request, null, register("2"))
                : TaskOutcome.failed(request.task(), "meter not responding", Instant.now()));
        gateway.status(true);
        WorkOrder order = orders.submit(request(METER, TaskKind.READ_REGISTERS, Priority.HIGH, Duration.ofMinutes(5),
                new RetryPolicy(3, Duration.ofSeconds(1))));
        WorkOrder done = awaitFinal(order.correlationId());
        assertEquals(OrderState.EXE, done.state());
        assertEquals(2, done.attempts());
        assertEquals(order.correlationId() + "/2", List.copyOf(gateway.requests()).get(1).task().correlationId());
        assertEquals(1, number("SELECT reachable FROM meters WHERE serial = '" + METER + "'"));
    }

    @Test
    void noAnswerFailsAfterTheResponseTimeoutAndARefusalIsNotRetried() throws Exception {
        gateway.status(true);
        WorkOrder silent = orders.submit(request(METER, TaskKind.SYNC_CLOCK));
        WorkOrder unanswered = awaitFinal(silent.correlationId());
        assertEquals(OrderState.FAIL, unanswered.state());
        assertEquals("no answer from gateway", unanswered.reason());

        gateway.script(request -> TaskOutcome.failed(request.task(), "replayed command", Instant.now()));
        WorkOrder refused = awaitFinal(orders.submit(request(METER, TaskKind.DISCONNECT, Priority.HIGH,
                Duration.ofMinutes(5), new RetryPolicy(3, Duration.ZERO))).correlationId());
        assertEquals(OrderState.FAIL, refused.state());
        assertEquals("replayed command", refused.reason());
        assertEquals(1, refused.attempts());
        assertNull(refused.supplyState());
        assertEquals("command refused by gateway", text("SELECT name FROM central_events WHERE dedup_key = "
                + "'work_order:" + refused.correlationId() + "'"));
    }

    @Test
    void aMeterThatDoesNotAnswerOrCannotBeReachedRaisesTheDefaultAlarmsAndIsMarkedUnreachable() throws Exception {
        try (Connection connection = database.connect()) {
            AlarmRules.seedIfEmpty(connection); // as central's start does
        }
        gateway.script(request -> TaskOutcome.failed(request.task(), request.task().kind() == TaskKind.READ_REGISTERS
                ? "TIMEOUT: no response after 3 retries" : "UNREACHABLE: connection refused", Instant.now()));
        gateway.status(true);
        WorkOrder silent = awaitFinal(orders.submit(request(METER, TaskKind.READ_REGISTERS)).correlationId());
        WorkOrder cut = awaitFinal(orders.submit(request(METER, TaskKind.SYNC_CLOCK)).correlationId());

        assertEquals(OrderState.FAIL, silent.state());
        assertEquals(OrderState.FAIL, cut.state());
        assertEquals("meter not responding", alarmedEvent(silent));
        assertEquals("meter unreachable", alarmedEvent(cut));
        assertEquals(0, number("SELECT reachable FROM meters WHERE serial = '" + METER + "'"));
        assertEquals("UNREACHABLE: connection refused", text("SELECT last_failure_reason FROM meters WHERE serial = '"
                + METER + "'"));
    }

    @Test
    void aMeterThatAnswersWithARefusalFailsTheOrderButStaysReachable() throws Exception {
        try (Connection connection = database.connect()) {
            AlarmRules.seedIfEmpty(connection);
        }
        gateway.script(request -> TaskOutcome.failed(request.task(), "AUTHENTICATION_FAILED: bad tag",
                Instant.now()));
        gateway.status(true);
        WorkOrder refused = awaitFinal(orders.submit(request(METER, TaskKind.DISCONNECT)).correlationId());

        assertEquals(OrderState.FAIL, refused.state());
        assertEquals("work order failed", text("SELECT name FROM central_events WHERE dedup_key = 'work_order:"
                + refused.correlationId() + "'"));
        assertEquals(0, number("SELECT COUNT(*) FROM alarms"), "no default rule makes a meter's refusal an alarm");
        assertEquals(0, number("SELECT COUNT(*) FROM meters WHERE serial = '" + METER + "' AND reachable = 0"));
    }

    /** The name of the event the order's failure recorded, if it raised an alarm. */
    private String alarmedEvent(WorkOrder order) throws SQLException {
        return text("SELECT e.name FROM alarms a JOIN central_events e ON e.event_id = a.event_id "
                + "WHERE e.dedup_key = 'work_order:" + order.correlationId() + "'");
    }

    @Test
    void aPointToPointMeterIsServedByTheDirectLink() throws Exception {
        // meters.gateway_id is still NOT NULL in schema version 1: the point-to-point meter keeps one, unused.
        meter("P2P00001", "commissioned", "point_to_point", GATEWAY, ALL);
        WorkOrder done = awaitFinal(orders.submit(request("P2P00001", TaskKind.READ_REGISTERS)).correlationId());
        assertEquals(OrderState.EXE, done.state());
        assertNull(done.gatewayId(), "no gateway for a point-to-point order");
        assertEquals("7.5", done.registers().get(0).value().toPlainString());
        assertEquals(1, direct.size());
        assertTrue(gateway.requests().isEmpty());
    }

    @Test
    void theKeyPairIsKeptAndThePrivateKeyIsTheOwnersOnly() throws Exception {
        Path file = work.resolve("central.db");
        CommandKeys again = CommandKeys.in(file.getParent());
        assertEquals(again.publicKeyBase64(), CommandKeys.in(file.getParent()).publicKeyBase64());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(work.resolve("command-key"))));
    }
}

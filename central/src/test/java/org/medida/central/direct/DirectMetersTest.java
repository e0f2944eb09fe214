package org.medida.central.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.TestDatabases;
import org.medida.central.db.Database;
import org.medida.central.events.IngestEvents;
import org.medida.central.ingest.DirectReadings;
import org.medida.central.provisioning.SecretBox;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.Priority;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.edge.tasks.TaskRunner;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.LinkEmulation;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.MeterKeys;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.TimeWindow;
import org.medida.simulator.Transport;

/**
 * Point-to-point meters read by central over DLMS: real simulated meters over TCP (wrapper and HDLC) behind an
 * emulated modem link, a real SQLite database, the driver's real timeouts.
 */
class DirectMetersTest {

    /** Like a cellular modem, scaled down: every response 40 ms ± 20 ms late. */
    private static final LinkEmulation MODEM = LinkEmulation.NONE.withLatency(Duration.ofMillis(40),
            Duration.ofMillis(20));
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    static Path dir;
    private static MeterFleet wrapperFleet;
    private static MeterFleet hdlcFleet;
    private static Database database;
    private static SecretBox secrets;
    private static DirectMeters direct;

    @BeforeAll
    static void start() throws Exception {
        wrapperFleet = MeterFleet.start(FleetConfig.builder().meters(4).basePort(0).transport(Transport.WRAPPER)
                .keySeed("direct-test").link(MODEM).build());
        hdlcFleet = MeterFleet.start(FleetConfig.builder().meters(1).basePort(0).transport(Transport.HDLC)
                .serialPrefix("HDL").keySeed("direct-test").link(MODEM).build());
        database = TestDatabases.open(dir.resolve("central.db"));
        secrets = SecretBox.open(dir.resolve("central.key"));
        direct = new DirectMeters(database, secrets, new DirectReadings(database, List.of(new IngestEvents())),
                DirectMeters.defaultSettings(dir.resolve("counters"))
                .withConnectTimeout(REQUEST_TIMEOUT).withRequestTimeout(REQUEST_TIMEOUT)
                .withRetries(1, Duration.ofMillis(100)), Clock.systemUTC());
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO gateways (gateway_id, added_at) VALUES ('GW1', 0)")) {
            insert.executeUpdate();
        }
    }

    @AfterAll
    static void stop() {
        if (direct != null) {
            direct.close();
        }
        if (wrapperFleet != null) {
            wrapperFleet.close();
        }
        if (hdlcFleet != null) {
            hdlcFleet.close();
        }
    }

    // ---- meters as provisioning registers them

    private static SimulatedMeter wrapperMeter(int index) {
        return wrapperFleet.meters().stream().sorted((a, b) -> a.serial().compareTo(b.serial())).toList().get(index);
    }

    private static String hls5Secrets(MeterKeys keys) {
        return "password=\nencryption_key=" + HexFormat.of().formatHex(keys.encryptionKey())
                + "\nauthentication_key=" + HexFormat.of().formatHex(keys.authenticationKey());
    }

    private static String llsSecrets(MeterKeys keys) {
        return "password=" + new String(keys.password(), StandardCharsets.US_ASCII)
                + "\nencryption_key=\nauthentication_key=";
    }

    /**
     * A commissioned point-to-point meter. meters.gateway_id is still NOT NULL in the schema, so the row names a
     * gateway it is not read through.
     */
    private static void register(SimulatedMeter meter, String security, String plaintextSecrets) throws SQLException {
        register(meter.serial(), meter.transport().name(), meter.port(), meter.logicalDevice(),
                meter.physicalAddress(), security, plaintextSecrets == null ? ""
                        : secrets.seal(plaintextSecrets.getBytes(StandardCharsets.UTF_8)),
                "point_to_point", "commissioned");
    }

    private static void register(String serial, String transport, int port, int logicalDevice, int physicalAddress,
            String security, String sealedSecrets, String connectionKind, String state) throws SQLException {
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO meters (serial, gateway_id, first_seen, state, connection, transport, host, port, "
                        + "logical_device, physical_address, security, secrets_encrypted, capabilities) "
                        + "VALUES (?, 'GW1', 0, ?, ?, ?, '127.0.0.1', ?, ?, ?, ?, ?, "
                        + "'disconnector,limiter,load_profile,events,instantaneous,clock') "
                        + "ON CONFLICT (serial) DO UPDATE SET state = excluded.state, "
                        + "connection = excluded.connection, transport = excluded.transport, port = excluded.port, "
                        + "security = excluded.security, secrets_encrypted = excluded.secrets_encrypted")) {
            insert.setString(1, serial);
            insert.setString(2, state);
            insert.setString(3, connectionKind);
            insert.setString(4, transport);
            insert.setInt(5, port);
            insert.setInt(6, logicalDevice);
            insert.setInt(7, physicalAddress);
            insert.setString(8, security);
            insert.setString(9, sealedSecrets);
            insert.executeUpdate();
        }
    }

    // ---- tasks

    private static MeterTask task(String serial, TaskKind kind, long argument, Duration expiresIn) {
        return new MeterTask(UUID.randomUUID().toString(), serial, kind, argument, Priority.HIGH,
                Instant.now().plus(expiresIn));
    }

    private static TaskOutcome run(String serial, TaskKind kind, long argument) throws Exception {
        return await(direct.submit(task(serial, kind, argument, Duration.ofMinutes(2))));
    }

    private static TaskOutcome await(CompletionStage<TaskOutcome> outcome) throws Exception {
        return outcome.toCompletableFuture().get(90, TimeUnit.SECONDS);
    }

    private static long count(String sql, String serial) throws SQLException {
        try (Connection connection = database.connect(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, serial);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long rowsOf(String table, String serial) throws SQLException {
        return count("SELECT COUNT(*) FROM " + table + " JOIN meters USING (meter_id) WHERE serial = ?", serial);
    }

    /** reachable, last_success, last_failure, last_failure_reason. */
    private static Object[] reachability(String serial) throws SQLException {
        try (Connection connection = database.connect(); PreparedStatement select = connection.prepareStatement(
                "SELECT reachable, last_success, last_failure, last_failure_reason FROM meters WHERE serial = ?")) {
            select.setString(1, serial);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), serial);
                return new Object[] {row.getObject(1), row.getObject(2), row.getObject(3), row.getString(4)};
            }
        }
    }

    // ---- reads

    @Test
    void readsRegistersOverHls5AsTheMeterMeasuredThemAndStoresThem() throws Exception {
        SimulatedMeter meter = wrapperMeter(0);
        register(meter, "HLS5_GMAC", hls5Secrets(meter.keys()));

        long before = meter.model().totals().importWh();
        TaskOutcome outcome = run(meter.serial(), TaskKind.READ_REGISTERS, 0);
        long after = meter.model().totals().importWh();

        assertEquals(TaskStatus.EXE, outcome.status(), outcome.detail());
        assertEquals(TaskRunner.ENERGY_REGISTERS.size(), outcome.registers().size());
        RegisterReading energy = outcome.registers().stream().filter(r -> r.obis().equals("1.0.1.8.0.255"))
                .findFirst().orElseThrow();
        assertEquals("Wh", energy.unit());
        assertTrue(energy.value().compareTo(BigDecimal.valueOf(before)) >= 0
                && energy.value().compareTo(BigDecimal.valueOf(after)) <= 0,
                before + " <= " + energy.value() + " <= " + after);
        assertEquals(outcome.registers().size(), rowsOf("readings", meter.serial()));
        Object[] reachability = reachability(meter.serial());
        assertEquals(1, ((Number) reachability[0]).intValue());
        assertNotNull(reachability[1]);
    }

    @Test
    void profileAndEventsGoIntoCentralsDataOnceHoweverOftenTheyAreRead() throws Exception {
        SimulatedMeter meter = wrapperMeter(1);
        // a power cut two hours ago: power-failure events and a hole in the profile
        meter.setLink(MODEM.withPoweredOff(List.of(TimeWindow.of(meter.clock().minus(Duration.ofHours(2)),
                Duration.ofMinutes(20)))));
        register(meter, "HLS5_GMAC", hls5Secrets(meter.keys()));
        long sixHours = Duration.ofHours(6).toSeconds();

        TaskOutcome profile = run(meter.serial(), TaskKind.READ_PROFILE, sixHours);
        assertEquals(TaskStatus.EXE, profile.status(), profile.detail());
        long intervals = rowsOf("interval_values", meter.serial());
        assertTrue(intervals > 0, profile.detail());
        long firstMaxEnd = count("SELECT MAX(end_at) FROM interval_values JOIN meters USING (meter_id) "
                + "WHERE serial = ?", meter.serial());

        TaskOutcome events = run(meter.serial(), TaskKind.READ_EVENTS, sixHours);
        assertEquals(TaskStatus.EXE, events.status(), events.detail());
        long eventRows = rowsOf("events", meter.serial());
        assertTrue(count("SELECT COUNT(*) FROM events JOIN meters USING (meter_id) WHERE serial = ? "
                + "AND log = 'POWER_FAILURE'", meter.serial()) > 0, events.detail());
        long lastEvent = count("SELECT MAX(at) FROM events JOIN meters USING (meter_id) WHERE serial = ?",
                meter.serial());
        long centralEvents = count("SELECT COUNT(*) FROM central_events WHERE serial = ? AND source = 'meter_log'",
                meter.serial());
        assertEquals(eventRows, centralEvents, "each logged event is one of central's events, as from a gateway");

        assertEquals(TaskStatus.EXE, run(meter.serial(), TaskKind.READ_PROFILE, sixHours).status());
        assertEquals(TaskStatus.EXE, run(meter.serial(), TaskKind.READ_EVENTS, sixHours).status());
        // only what the meter captured or logged between the reads is new
        assertEquals(intervals, count("SELECT COUNT(*) FROM interval_values JOIN meters USING (meter_id) "
                + "WHERE serial = ? AND end_at <= " + firstMaxEnd, meter.serial()));
        assertEquals(eventRows, count("SELECT COUNT(*) FROM events JOIN meters USING (meter_id) WHERE serial = ? "
                + "AND at <= " + lastEvent, meter.serial()));
        assertEquals(centralEvents, count("SELECT COUNT(*) FROM central_events WHERE serial = ? "
                + "AND source = 'meter_log' AND at <= " + lastEvent, meter.serial()));
    }

    @Test
    void disconnectAndReconnectOverHdlcWithLlsAreReadBackFromTheRelay() throws Exception {
        SimulatedMeter meter = hdlcFleet.meters().get(0);
        register(meter, "lls", llsSecrets(meter.keys()));

        TaskOutcome disconnected = run(meter.serial(), TaskKind.DISCONNECT, 0);
        assertEquals(TaskStatus.EXE, disconnected.status(), disconnected.detail());
        assertFalse(disconnected.supplyState().relayClosed());
        assertFalse(meter.relayClosed());

        TaskOutcome reconnected = run(meter.serial(), TaskKind.RECONNECT, 0);
        assertEquals(TaskStatus.EXE, reconnected.status(), reconnected.detail());
        assertTrue(reconnected.supplyState().relayClosed());
        assertTrue(meter.relayClosed());
    }

    @Test
    void instantaneousValuesClockAndPowerLimitRunAsOnAGateway() throws Exception {
        SimulatedMeter meter = hdlcFleet.meters().get(0);
        register(meter, "LLS", llsSecrets(meter.keys()));

        TaskOutcome instantaneous = run(meter.serial(), TaskKind.READ_INSTANTANEOUS, 0);
        assertEquals(TaskStatus.EXE, instantaneous.status(), instantaneous.detail());
        assertEquals(TaskRunner.INSTANTANEOUS.size(), instantaneous.registers().size());

        TaskOutcome clock = run(meter.serial(), TaskKind.SYNC_CLOCK, 0);
        assertEquals(TaskStatus.EXE, clock.status(), clock.detail());
        assertTrue(clock.detail().contains("within tolerance"), clock.detail());

        TaskOutcome limited = run(meter.serial(), TaskKind.SET_POWER_LIMIT, 5000);
        assertEquals(TaskStatus.EXE, limited.status(), limited.detail());
        assertNotNull(limited.supplyState());
        assertEquals(TaskStatus.EXE, run(meter.serial(), TaskKind.CLEAR_POWER_LIMIT, 0).status());
    }

    // ---- failures

    @Test
    void aMeterCentralDoesNotKnowOrDoesNotReadDirectlyFailsWithTheReason() throws Exception {
        TaskOutcome unknown = run("NOSUCHMETER", TaskKind.READ_REGISTERS, 0);
        assertEquals(TaskStatus.FAIL, unknown.status());
        assertEquals("unknown meter NOSUCHMETER", unknown.detail());

        register("GWMETER1", "WRAPPER", 4059, 1, 16, "NONE", "", "gateway", "commissioned");
        TaskOutcome concentrated = run("GWMETER1", TaskKind.READ_REGISTERS, 0);
        assertEquals(TaskStatus.FAIL, concentrated.status());
        assertEquals("meter GWMETER1 is not point-to-point: it is read through its gateway", concentrated.detail());

        register("P2PNEW", "WRAPPER", 4059, 1, 16, "NONE", "", "point_to_point", "registered");
        TaskOutcome registered = run("P2PNEW", TaskKind.READ_REGISTERS, 0);
        assertEquals("meter P2PNEW is registered, not commissioned", registered.detail());
    }

    @Test
    void addressingOrSecretsCentralCannotUseFailWithTheReasonAndNoSecret() throws Exception {
        register("BADTRANSPORT", "CARRIER_PIGEON", 4059, 1, 16, "NONE", "", "point_to_point", "commissioned");
        assertEquals("transport must be WRAPPER, HDLC or SERIAL, not 'CARRIER_PIGEON'",
                run("BADTRANSPORT", TaskKind.READ_REGISTERS, 0).detail());

        register("BADPORT", "WRAPPER", 0, 1, 16, "NONE", "", "point_to_point", "commissioned");
        assertEquals("meter BADPORT is not addressed correctly: port out of range: 0",
                run("BADPORT", TaskKind.READ_REGISTERS, 0).detail());

        register("NOSECRETS", "WRAPPER", 4059, 1, 16, "HLS5_GMAC", "", "point_to_point", "commissioned");
        assertEquals("the meter's secrets are missing", run("NOSECRETS", TaskKind.READ_REGISTERS, 0).detail());

        String foreign = SecretBox.open(dir.resolve("other.key")).seal("password=x".getBytes(StandardCharsets.UTF_8));
        register("FOREIGNKEY", "WRAPPER", 4059, 1, 16, "LLS", foreign, "point_to_point", "commissioned");
        assertEquals("the meter's secrets cannot be opened: sealed secret does not open with this key file",
                run("FOREIGNKEY", TaskKind.READ_REGISTERS, 0).detail());

        String shortKey = secrets.seal("encryption_key=00ff\nauthentication_key=00ff".getBytes(StandardCharsets.UTF_8));
        register("SHORTKEY", "WRAPPER", 4059, 1, 16, "HLS5_GMAC", shortKey, "point_to_point", "commissioned");
        assertEquals("meter SHORTKEY is not addressed correctly: HLS5-GMAC needs a 16-byte encryption key",
                run("SHORTKEY", TaskKind.READ_REGISTERS, 0).detail());

        register("BADLEVEL", "WRAPPER", 4059, 1, 16, "HLS7", "", "point_to_point", "commissioned");
        assertEquals("security must be NONE, LLS or HLS5_GMAC, not 'HLS7'",
                run("BADLEVEL", TaskKind.READ_REGISTERS, 0).detail());
    }

    @Test
    void aWrongKeyFailsAsAnAuthenticationFailureAndMarksTheMeterUnreachable() throws Exception {
        SimulatedMeter meter = wrapperMeter(2);
        MeterKeys other = MeterKeys.derive("another-seed", meter.serial());
        register(meter, "HLS5_GMAC", hls5Secrets(other));

        TaskOutcome outcome = run(meter.serial(), TaskKind.READ_REGISTERS, 0);

        assertEquals(TaskStatus.FAIL, outcome.status());
        assertTrue(outcome.detail().startsWith("AUTHENTICATION_FAILED"), outcome.detail());
        assertFalse(outcome.detail().contains(HexFormat.of().formatHex(other.encryptionKey())));
        Object[] reachability = reachability(meter.serial());
        assertEquals(0, ((Number) reachability[0]).intValue());
        assertNotNull(reachability[2]);
        assertEquals(outcome.detail(), reachability[3]);
    }

    @Test
    void aMeterThatDoesNotAnswerFailsWithinTheTimeout() throws Exception {
        SimulatedMeter meter = wrapperMeter(3);
        meter.setLink(MODEM.withUnreachable(List.of(TimeWindow.of(meter.clock().minusSeconds(60),
                Duration.ofHours(1)))));
        register(meter, "NONE", null);
        try {
            long start = System.nanoTime();
            TaskOutcome outcome = run(meter.serial(), TaskKind.READ_REGISTERS, 0);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(TaskStatus.FAIL, outcome.status());
            assertTrue(outcome.detail().startsWith("TIMEOUT"), outcome.detail());
            // two attempts of one request timeout each, the pause between them, and some slack
            assertTrue(took.compareTo(REQUEST_TIMEOUT.multipliedBy(2).plusSeconds(3)) < 0, took.toString());
        } finally {
            meter.setLink(MODEM);
        }
    }

    @Test
    void anExpiredTaskIsNotCarriedOut() throws Exception {
        SimulatedMeter meter = hdlcFleet.meters().get(0);
        register(meter, "LLS", llsSecrets(meter.keys()));
        Object[] before = reachability(meter.serial());

        TaskOutcome outcome = await(direct.submit(task(meter.serial(), TaskKind.DISCONNECT, 0,
                Duration.ofSeconds(-1))));

        assertEquals(TaskStatus.FAIL, outcome.status());
        assertEquals("expired", outcome.detail());
        assertTrue(meter.relayClosed());
        assertEquals(before[1], reachability(meter.serial())[1]);
    }

    @Test
    void aTaskThatExpiresWaitingForTheMetersLinkIsAnsweredAtItsExpiry() throws Exception {
        SimulatedMeter meter = wrapperMeter(0);
        register(meter, "HLS5_GMAC", hls5Secrets(meter.keys()));

        // one conversation at a time per link: the second task waits behind a long profile read
        CompletionStage<TaskOutcome> longRead = direct.submit(task(meter.serial(), TaskKind.READ_PROFILE,
                Duration.ofDays(2).toSeconds(), Duration.ofMinutes(2)));
        long start = System.nanoTime();
        TaskOutcome waiting = await(direct.submit(task(meter.serial(), TaskKind.READ_REGISTERS, 0,
                Duration.ofMillis(300))));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(TaskStatus.FAIL, waiting.status());
        assertEquals("expired", waiting.detail());
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, took.toString());
        assertEquals(TaskStatus.EXE, await(longRead).status());
    }

    @Test
    void tasksWaitingWhenCentralStopsFailWithoutMarkingTheMeterUnreachable() throws Exception {
        SimulatedMeter meter = hdlcFleet.meters().get(0);
        register(meter, "LLS", llsSecrets(meter.keys()));
        Object[] before = reachability(meter.serial());
        TaskOutcome waiting;
        try (DirectMeters stopping = new DirectMeters(database, secrets, new DirectReadings(database, List.of()),
                DirectMeters.defaultSettings(dir.resolve("stopping")), Clock.systemUTC())) {
            stopping.submit(task(meter.serial(), TaskKind.READ_PROFILE, Duration.ofDays(2).toSeconds(),
                    Duration.ofMinutes(1)));
            CompletionStage<TaskOutcome> behind = stopping.submit(task(meter.serial(), TaskKind.READ_REGISTERS, 0,
                    Duration.ofMinutes(1)));
            stopping.close();
            waiting = await(behind);
        }
        assertEquals(TaskStatus.FAIL, waiting.status());
        assertEquals("UNREACHABLE: the driver has stopped", waiting.detail());
        assertEquals(before[2], reachability(meter.serial())[2]);
    }

    @Test
    void aStoppedReaderTakesNoMoreTasks() throws Exception {
        SimulatedMeter meter = hdlcFleet.meters().get(0);
        register(meter, "LLS", llsSecrets(meter.keys()));
        try (DirectMeters stopped = new DirectMeters(database, secrets, new DirectReadings(database, List.of()),
                DirectMeters.defaultSettings(dir.resolve("stopped")), Clock.systemUTC())) {
            stopped.close();
            TaskOutcome outcome = await(stopped.submit(task(meter.serial(), TaskKind.READ_REGISTERS, 0,
                    Duration.ofMinutes(1))));
            assertEquals(TaskStatus.FAIL, outcome.status());
            assertEquals("central's direct meter reading has stopped", outcome.detail());
        }
    }
}

package org.medida.central.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.central.CentralFixture.dataRows;
import static org.medida.central.CentralFixture.number;
import static org.medida.central.CentralFixture.text;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.Central;
import org.medida.central.CentralFixture;
import org.medida.central.LogCapture;
import org.medida.central.SampleBatches;
import org.medida.central.TestDatabases;
import org.medida.central.TestGateway;
import org.medida.edge.api.Batch;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.ProfileChannel;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.protocol.BatchAck;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;
import org.medida.testing.MosquittoBroker;

/** Central against a real Mosquitto and a real database (SQLite or PostgreSQL), fed by a real Paho gateway. */
class IngestTest {

    private static final String METER = "LGZ0012345678";
    private static final Duration QUIET = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private Path database;
    private Central central;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        broker = MosquittoBroker.start(dir.resolve("broker"));
        database = dir.resolve("central.db");
        central = CentralFixture.start(database, broker.url(), "gw-1");
        gateway = TestGateway.connect(broker.url(), "gw-1");
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        if (central != null) {
            central.close();
        }
        broker.close();
    }

    @Test
    void storesBatchesOfEveryClassWithTheirReadingTypesAndExactValues() throws Exception {
        List<Batch> batches = List.of(SampleBatches.intervals(1, METER, 1, 96), SampleBatches.billing(2, METER),
                SampleBatches.events(3, METER), SampleBatches.gaps(4, METER), SampleBatches.drops(5, METER));
        for (Batch batch : batches) {
            gateway.send(batch);
            assertEquals(BatchAck.committed(batch.id()), gateway.awaitAck());
        }

        assertEquals(192, number(database, "SELECT COUNT(*) FROM interval_values"));
        String aPlus15 = "0.0.2.1.1.1.12.0.0.0.0.0.0.0.0.0.72.0";
        assertEquals(SampleBatches.importWh(44), new BigDecimal(text(database, "SELECT v.value FROM interval_values v "
                + "JOIN reading_types t USING (reading_type_id) WHERE t.code = '" + aPlus15 + "' AND v.end_at = "
                + SampleBatches.MIDNIGHT.plus(Duration.ofMinutes(15 * 44)).toEpochMilli())));
        assertEquals("12356678.500", text(database, "SELECT value FROM interval_values WHERE end_at = "
                + SampleBatches.MIDNIGHT.plus(Duration.ofMinutes(15 * 44)).toEpochMilli()
                + " AND reading_type_id = (SELECT reading_type_id FROM reading_types WHERE code = '" + aPlus15 + "')"));
        assertEquals(0x80, number(database, "SELECT status FROM interval_values WHERE end_at = "
                + SampleBatches.MIDNIGHT.plus(Duration.ofMinutes(15 * 44)).toEpochMilli() + " LIMIT 1"));
        assertEquals(1, number(database, "SELECT COUNT(*) FROM reading_types WHERE code = "
                + "'0.0.2.1.19.1.12.0.0.0.0.0.0.0.0.0.72.0'"));

        assertEquals(4, number(database, "SELECT COUNT(*) FROM readings"));
        assertEquals("12345.678", text(database, "SELECT r.value FROM readings r JOIN reading_types t "
                + "USING (reading_type_id) WHERE t.code = '11.0.0.1.1.1.12.0.0.0.0.0.0.0.0.0.72.0' AND r.at = "
                + SampleBatches.MIDNIGHT.toEpochMilli()));
        assertEquals("5000", text(database, "SELECT r.value FROM readings r JOIN reading_types t "
                + "USING (reading_type_id) WHERE t.code = '11.0.0.1.1.1.12.0.0.0.0.1.0.0.0.0.72.0'"));
        assertEquals("4321.5", text(database, "SELECT r.value FROM readings r JOIN reading_types t "
                + "USING (reading_type_id) WHERE t.code = '8.8.0.6.1.1.8.0.0.0.0.0.0.0.0.0.38.0' AND r.at = "
                + SampleBatches.MIDNIGHT.minusSeconds(7200).toEpochMilli()));
        assertEquals("230.1", text(database, "SELECT r.value FROM readings r JOIN reading_types t "
                + "USING (reading_type_id) WHERE t.code = '0.0.0.12.0.1.54.0.0.0.0.0.0.0.128.0.29.0' AND r.at = "
                + SampleBatches.MIDNIGHT.plusSeconds(600).toEpochMilli()));

        assertEquals(3, number(database, "SELECT COUNT(*) FROM events"));
        assertEquals(3725, number(database, "SELECT duration_seconds FROM events WHERE log = '"
                + EventLog.POWER_FAILURE.name() + "'"));
        assertEquals(1, number(database, "SELECT COUNT(*) FROM gaps WHERE profile_obis = '" + SampleBatches.PROFILE
                + "' AND to_end = " + SampleBatches.MIDNIGHT.plusSeconds(38_700).toEpochMilli()));
        assertEquals(96, number(database, "SELECT entries FROM drops"));
        assertEquals("gw-1", text(database, "SELECT gateway_id FROM meters WHERE serial = '" + METER + "'"));
        assertEquals(5, number(database, "SELECT COUNT(*) FROM ingested_batches WHERE rows_duplicate = 0"));
    }

    @Test
    void aBatchSentAgainIsStoredOnceAndAckedAgain() throws Exception {
        Batch batch = SampleBatches.intervals(7, METER, 1, 96);
        gateway.send(batch);
        assertEquals(BatchAck.committed(7), gateway.awaitAck());
        gateway.send(batch);
        assertEquals(BatchAck.committed(7), gateway.awaitAck());

        assertEquals(192, number(database, "SELECT COUNT(*) FROM interval_values"));
        assertEquals(2, number(database, "SELECT COUNT(*) FROM ingested_batches WHERE batch_id = 7"));
        assertEquals(192, number(database, "SELECT rows_duplicate FROM ingested_batches WHERE batch_id = 7 "
                + "ORDER BY ingest_id DESC LIMIT 1"));
    }

    @Test
    void rowsRepeatedUnderANewBatchIdAreStoredOnce() throws Exception {
        gateway.send(SampleBatches.intervals(8, METER, 1, 48));
        assertEquals(BatchAck.committed(8), gateway.awaitAck());
        gateway.send(SampleBatches.intervals(9, METER, 41, 96));
        assertEquals(BatchAck.committed(9), gateway.awaitAck());
        gateway.send(SampleBatches.billing(10, METER));
        gateway.send(SampleBatches.billing(11, METER));
        gateway.awaitAck();
        gateway.awaitAck();

        assertEquals(192, number(database, "SELECT COUNT(*) FROM interval_values"));
        assertEquals(16, number(database, "SELECT rows_duplicate FROM ingested_batches WHERE batch_id = 9"));
        assertEquals(4, number(database, "SELECT COUNT(*) FROM readings"));
    }

    @Test
    void moreBatchesThanTheBrokersInFlightWindowAllGetThrough() throws Exception {
        // Mosquitto sends at most 20 unacknowledged QoS 1 messages: this only passes if central's PUBACKs go out.
        int batches = 150;
        for (int i = 1; i <= batches; i++) {
            gateway.send(SampleBatches.intervals(100 + i, "M" + i, 1, 96));
        }
        for (int i = 1; i <= batches; i++) {
            assertTrue(gateway.awaitAck().committed());
        }
        assertEquals(batches * 192L, number(database, "SELECT COUNT(*) FROM interval_values"));
    }

    @Test
    void acksOnlyAfterTheBatchCommitted() throws Exception {
        try (Connection lock = TestDatabases.open(database).connect();
                Statement statement = lock.createStatement()) {
            // Another writer holds the lock the ingest needs: SQLite's database lock, or on PostgreSQL the table's.
            statement.execute(TestDatabases.postgres() ? "BEGIN; LOCK TABLE interval_values IN EXCLUSIVE MODE"
                    : "BEGIN IMMEDIATE");
            gateway.send(SampleBatches.intervals(12, METER, 1, 96));
            assertTrue(gateway.nextAck(QUIET).isEmpty(), "acked while its transaction could not commit");
            assertEquals(0, dataRows(database));
            statement.execute("ROLLBACK");
        }
        assertEquals(BatchAck.committed(12), gateway.awaitAck());
        assertEquals(192, number(database, "SELECT COUNT(*) FROM interval_values"));
    }

    @Test
    void aDatabaseFailureHalfwayThroughABatchLeavesNothingAndNoAck() throws Exception {
        long poisoned = SampleBatches.MIDNIGHT.plus(Duration.ofMinutes(15 * 50)).toEpochMilli();
        try (AutoCloseable failing = TestDatabases.failInserts(database, "interval_values", "NEW.end_at = "
                + poisoned, "disk trouble")) {
            try (LogCapture log = new LogCapture()) {
                gateway.send(SampleBatches.intervals(16, METER, 1, 96));
                CentralFixture.await("the failure logged", () -> log.text().contains("Could not store batch 16"));
            }
            assertTrue(gateway.nextAck(QUIET).isEmpty(), "no answer: the gateway keeps the batch and sends it again");
            assertEquals(0, dataRows(database), "rolled back whole: no meter, no rows, no batch record");
        }
        gateway.send(SampleBatches.intervals(16, METER, 1, 96));
        assertEquals(BatchAck.committed(16), gateway.awaitAck());
        assertEquals(192, number(database, "SELECT COUNT(*) FROM interval_values"));
    }

    @Test
    void refusesABatchWithoutAMeaningAndStoresNothingOfIt() throws Exception {
        Batch.Registers unknown = new Batch.Registers(13, METER, SampleBatches.DAY, List.of(
                new RegisterReading("1.0.1.8.0.255", BigDecimal.ONE, "Wh", SampleBatches.MIDNIGHT, Instant.now()),
                new RegisterReading("0.0.96.7.19.255", BigDecimal.TEN, "", null, Instant.now())));
        Batch.Intervals wrongUnit = new Batch.Intervals(14, METER, SampleBatches.DAY, List.of(new IntervalBlock(METER,
                SampleBatches.PROFILE, Duration.ofMinutes(15), List.of(new ProfileChannel("1.0.1.8.0.255", "V")),
                List.of(new Interval(SampleBatches.MIDNIGHT, 0, List.of(BigDecimal.ONE))))));
        Batch.Intervals oddPeriod = new Batch.Intervals(15, METER, SampleBatches.DAY, List.of(new IntervalBlock(METER,
                SampleBatches.PROFILE, Duration.ofMinutes(7), List.of(new ProfileChannel("1.0.1.8.0.255", "Wh")),
                List.of(new Interval(SampleBatches.MIDNIGHT, 0, List.of(BigDecimal.ONE))))));

        gateway.send(unknown);
        BatchAck refused = gateway.awaitAck();
        assertFalse(refused.committed());
        assertEquals(13, refused.batchId());
        assertTrue(refused.error().contains("0.0.96.7.19.255"), refused.error());
        gateway.send(wrongUnit);
        assertTrue(gateway.awaitAck().error().contains("expected Wh"));
        gateway.send(oddPeriod);
        assertTrue(gateway.awaitAck().error().contains("capture period"));
        assertEquals(0, dataRows(database));
    }

    @Test
    void malformedPayloadsAreLoggedAndStoreNothingAndCentralCarriesOn() throws Exception {
        byte[] good = Payloads.encodeBatch(SampleBatches.intervals(20, METER, 1, 96));
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        byte[] wrongVersion = good.clone();
        wrongVersion[1] = 9;
        byte[] oversized = new byte[Payloads.MAX_PAYLOAD_BYTES + 1];
        System.arraycopy(good, 0, oversized, 0, good.length);
        byte[] wrongType = Payloads.encodeAck(BatchAck.committed(20));
        byte[] garbage = "{\"not\": \"a batch\"}".getBytes();
        try (LogCapture log = new LogCapture()) {
            for (byte[] payload : List.of(garbage, oversized, truncated, wrongVersion, wrongType)) {
                gateway.publish(Topics.batch("gw-1"), payload, false);
            }
            BatchAck truncatedAck = gateway.awaitAck();
            assertEquals(20, truncatedAck.batchId(), "the truncated batch's id is readable");
            assertFalse(truncatedAck.committed());
            assertTrue(gateway.nextAck(QUIET).isEmpty(), "only a payload with a readable batch id is answered");

            gateway.publish(Topics.batch("gw-1"), good, false);
            assertEquals(BatchAck.committed(20), gateway.awaitAck());
            CentralFixture.await("five malformed batches logged", () -> log.text().split("Malformed batch from gateway "
                    + "gw-1 on " + Topics.batch("gw-1"), -1).length == 6);
            assertTrue(log.text().contains("(" + (Payloads.MAX_PAYLOAD_BYTES + 1) + " bytes)"));
            assertTrue(log.text().contains("unsupported payload version 9"));
        }
        assertEquals(192, number(database, "SELECT COUNT(*) FROM interval_values"));
        assertEquals(1, number(database, "SELECT COUNT(*) FROM ingested_batches"));
    }

    @Test
    void anUnknownGatewayIsLoggedAndNothingOfItIsStored() throws Exception {
        try (LogCapture log = new LogCapture(); TestGateway stranger = TestGateway.connect(broker.url(), "gw-x")) {
            stranger.send(SampleBatches.intervals(30, METER, 1, 96));
            stranger.sendStatus(true, 1);
            stranger.publish(Topics.commandResult("gw-x"), Payloads.encodeOutcome(outcome("c-x")), false);
            CentralFixture.await("the stranger's three messages logged",
                    () -> log.text().split("unknown gateway gw-x", -1).length == 4);
            assertTrue(stranger.nextAck(QUIET).isEmpty(), "an unknown gateway gets no answer");
        }
        assertEquals(0, dataRows(database));
        assertEquals(0, number(database, "SELECT COUNT(*) FROM gateways WHERE gateway_id = 'gw-x'"));
    }

    @Test
    void aStaleLastWillDoesNotTakeAReconnectedGatewayOffline() throws Exception {
        gateway.sendStatus(true, 2);
        CentralFixture.await("gw-1 online", () -> online() == 1);
        gateway.sendStatus(false, 1);
        gateway.send(SampleBatches.events(40, METER));
        gateway.awaitAck();
        assertEquals(1, online(), "the will of session 1 arrived after the birth of session 2");
        assertEquals(2, number(database, "SELECT session FROM gateways WHERE gateway_id = 'gw-1'"));
        gateway.sendStatus(false, 2);
        CentralFixture.await("gw-1 offline", () -> online() == 0);
    }

    @Test
    void storesCommandResultsByCorrelationIdOnce() throws Exception {
        byte[] payload = Payloads.encodeOutcome(outcome("c-1"));
        gateway.publish(Topics.commandResult("gw-1"), payload, false);
        gateway.publish(Topics.commandResult("gw-1"), payload, false);
        CentralFixture.await("the result stored", () -> count("SELECT COUNT(*) FROM command_results") == 1);
        gateway.send(SampleBatches.events(41, METER));
        gateway.awaitAck();
        assertEquals(1, number(database, "SELECT COUNT(*) FROM command_results WHERE correlation_id = 'c-1' "
                + "AND status = 'EXE' AND relay_closed = 0 AND control_state = 0"));
        assertEquals("230.4", text(database, "SELECT value FROM command_result_registers WHERE correlation_id = 'c-1'"));
    }

    @Test
    void aRestartedCentralKeepsEverythingAndCarriesOn() throws Exception {
        gateway.send(SampleBatches.intervals(50, METER, 1, 48));
        assertEquals(BatchAck.committed(50), gateway.awaitAck());
        central.close();
        central = null;
        gateway.send(SampleBatches.intervals(51, METER, 49, 96));

        central = CentralFixture.start(database, broker.url());
        BatchAck afterRestart = gateway.awaitAck();
        if (afterRestart.equals(BatchAck.committed(50))) {
            // central closed between its ack and the broker's PUBACK: the broker redelivers batch 50 (QoS 1), and
            // central, idempotent, acks it again without storing anything twice
            afterRestart = gateway.awaitAck();
        }
        assertEquals(BatchAck.committed(51), afterRestart, "the batch published while central was down");
        gateway.send(SampleBatches.intervals(50, METER, 1, 48));
        assertEquals(BatchAck.committed(50), gateway.awaitAck());
        assertEquals(192, number(database, "SELECT COUNT(*) FROM interval_values"));
        assertEquals(0, number(database, "SELECT MAX(version) - COUNT(*) FROM schema_version"), "each migration once");
    }

    private long online() {
        return count("SELECT online FROM gateways WHERE gateway_id = 'gw-1'");
    }

    private long count(String sql) {
        try {
            return number(database, sql);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static TaskOutcome outcome(String correlationId) {
        return new TaskOutcome(correlationId, METER, TaskStatus.EXE, "", Instant.parse("2026-11-21T10:00:00Z"),
                List.of(new RegisterReading("1.0.32.7.0.255", new BigDecimal("230.4"), "V", null,
                        Instant.parse("2026-11-21T10:00:00Z"))),
                new SupplyState(false, SupplyState.DISCONNECTED));
    }
}

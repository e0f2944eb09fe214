package org.medida.central.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.central.CentralFixture.number;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.CentralFixture;
import org.medida.central.LogCapture;
import org.medida.central.SampleBatches;
import org.medida.central.TestDatabases;
import org.medida.edge.api.Batch;
import org.medida.edge.api.RegisterReading;
import org.medida.protocol.BatchAck;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.MalformedPayloadException;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;

/** Several batches that arrive together share one commit; each still gets its own, correct answer. */
class SharedCommitTest {

    private static final String GATEWAY = "gw-1";

    @TempDir
    Path dir;

    private Path file;
    private IngestHandler handler;

    @BeforeEach
    void open() throws Exception {
        file = dir.resolve("central.db");
        handler = CentralFixture.ingestWriter(TestDatabases.open(file), GATEWAY);
    }

    @AfterEach
    void close() throws Exception {
        handler.close();
    }

    @Test
    void eachMessageOfAGroupIsAnsweredForItself() throws Exception {
        byte[] truncated = Arrays.copyOf(Payloads.encodeBatch(SampleBatches.intervals(2, "M2", 1, 96)), 40);
        Batch.Registers meaningless = new Batch.Registers(3, "M3", SampleBatches.DAY, List.of(new RegisterReading(
                "0.0.96.7.19.255", BigDecimal.TEN, "", null, Instant.now())));
        List<Optional<IngestHandler.Reply>> replies = handler.handleAll(List.of(
                batch(SampleBatches.intervals(1, "M1", 1, 96)),
                new IngestHandler.Arrival(Topics.batch(GATEWAY), truncated),
                batch(meaningless),
                new IngestHandler.Arrival(Topics.status(GATEWAY),
                        Payloads.encodeStatus(new GatewayStatus(true, 1, Instant.now(), "test"))),
                batch(SampleBatches.intervals(4, "M4", 1, 96)),
                new IngestHandler.Arrival(Topics.batch("gw-unknown"), Payloads.encodeBatch(
                        SampleBatches.intervals(5, "M5", 1, 96)))));

        assertEquals(BatchAck.committed(1), ack(replies.get(0)));
        assertFalse(ack(replies.get(1)).committed());
        assertEquals(2, ack(replies.get(1)).batchId());
        assertFalse(ack(replies.get(2)).committed());
        assertTrue(replies.get(3).isEmpty(), "a status is not answered");
        assertEquals(BatchAck.committed(4), ack(replies.get(4)));
        assertTrue(replies.get(5).isEmpty(), "an unknown gateway is not answered");
        assertEquals(2 * 192, number(file, "SELECT COUNT(*) FROM interval_values"));
        assertEquals(2, number(file, "SELECT COUNT(*) FROM ingested_batches"));
        assertEquals(1, number(file, "SELECT COUNT(*) FROM gateways WHERE online = 1"));
    }

    @Test
    void aBatchTheDatabaseCannotTakeDoesNotHoldBackTheOthersOfItsGroup() throws Exception {
        long poisoned = SampleBatches.MIDNIGHT.plus(Duration.ofMinutes(15 * 50)).toEpochMilli();
        List<Optional<IngestHandler.Reply>> replies;
        try (AutoCloseable failing = TestDatabases.failInserts(file, "interval_values", "NEW.end_at = " + poisoned
                + " AND NEW.meter_id = (SELECT meter_id FROM meters WHERE serial = 'M2')", "disk trouble");
                LogCapture log = new LogCapture()) {
            replies = handler.handleAll(List.of(batch(SampleBatches.intervals(1, "M1", 1, 96)),
                    batch(SampleBatches.intervals(2, "M2", 1, 96)), batch(SampleBatches.intervals(3, "M3", 1, 96))));
            assertTrue(log.text().contains("storing them one by one"), log.text());
            assertTrue(log.text().contains("Could not store batch 2 of gateway gw-1"), log.text());
        }
        assertEquals(BatchAck.committed(1), ack(replies.get(0)));
        assertTrue(replies.get(1).isEmpty(), "no answer: the gateway keeps batch 2 and sends it again");
        assertEquals(BatchAck.committed(3), ack(replies.get(2)));
        assertEquals(2 * 192, number(file, "SELECT COUNT(*) FROM interval_values"));
        assertEquals(0, number(file, "SELECT COUNT(*) FROM interval_values v JOIN meters m USING (meter_id) "
                + "WHERE m.serial = 'M2'"));
    }

    private static IngestHandler.Arrival batch(Batch batch) {
        return new IngestHandler.Arrival(Topics.batch(GATEWAY), Payloads.encodeBatch(batch));
    }

    private static BatchAck ack(Optional<IngestHandler.Reply> reply) throws MalformedPayloadException {
        assertTrue(reply.isPresent(), "no answer");
        assertEquals(Topics.ack(GATEWAY), reply.get().topic());
        return Payloads.decodeAck(reply.get().payload());
    }
}

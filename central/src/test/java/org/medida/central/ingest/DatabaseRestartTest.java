package org.medida.central.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.CentralFixture;
import org.medida.central.SampleBatches;
import org.medida.central.db.Database;
import org.medida.edge.api.Batch;
import org.medida.protocol.BatchAck;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;
import org.medida.testing.PostgresServer;

/**
 * The ingest writer on a real PostgreSQL server of its own that restarts under it: the connection the writer holds
 * breaks, and so do the pooled ones; each batch is still committed once and answered only then. Runs once, on its
 * own server, whichever database the run stores into.
 */
@Tag("no-database")
class DatabaseRestartTest {

    private static final String GATEWAY = "gw-restart";
    private static final int ENTRIES = 96;

    @TempDir
    Path dir;

    private PostgresServer server;
    private Database database;
    private IngestHandler handler;
    private final ExecutorService writer = Executors.newSingleThreadExecutor();

    @BeforeEach
    void start() throws Exception {
        server = PostgresServer.start(dir.resolve("postgres"), "fsync=off");
        database = Database.open(server.createDatabase("central"));
        handler = CentralFixture.ingestWriter(database, GATEWAY);
    }

    @AfterEach
    void stop() throws Exception {
        writer.shutdownNow();
        handler.close();
        database.close();
        server.close();
    }

    @Test
    void batchesBeforeAndAfterARestartAreEachCommittedOnce() throws Exception {
        assertEquals(Optional.of(BatchAck.committed(1)), ack(handler.handle(Topics.batch(GATEWAY), batch(1))));
        count("SELECT COUNT(*) FROM gateways"); // leaves an idle connection in the pool, broken by the restart too

        server.restart();

        assertEquals(Optional.of(BatchAck.committed(2)), ack(handler.handle(Topics.batch(GATEWAY), batch(2))));
        assertStoredOnce(1, 2);
        server.restart();
        handler.handle(Topics.status(GATEWAY), Payloads.encodeStatus(new GatewayStatus(true, 1, Instant.now(), "t")));
        assertEquals(1, count("SELECT online FROM gateways WHERE gateway_id = '" + GATEWAY + "'"));
    }

    @Test
    void whileTheServerIsDownTheWriterWaitsAndStoresTheBatchOnceItIsBack() throws Exception {
        server.stop();
        Future<Optional<IngestHandler.Reply>> reply = writer.submit(() -> handler.handle(Topics.batch(GATEWAY),
                batch(1)));
        Thread.sleep(1_000);
        assertFalse(reply.isDone(), "no answer while nothing is committed");

        server.restart();

        assertEquals(Optional.of(BatchAck.committed(1)), ack(reply.get(60, TimeUnit.SECONDS)));
        assertStoredOnce(1);
    }

    @Test
    void aWriterInterruptedWhileWaitingLeavesTheBatchUnansweredAndStoresItWhenItComesAgain() throws Exception {
        server.stop();
        Future<Optional<IngestHandler.Reply>> reply = writer.submit(() -> handler.handle(Topics.batch(GATEWAY),
                batch(1)));
        Thread.sleep(500);
        writer.shutdownNow(); // as central's close does with a writer still busy

        assertEquals(Optional.empty(), reply.get(30, TimeUnit.SECONDS), "nothing to answer, nothing thrown");
        server.restart();
        assertEquals(Optional.of(BatchAck.committed(1)), ack(handler.handle(Topics.batch(GATEWAY), batch(1))));
        assertStoredOnce(1);
    }

    @Test
    void aPooledConnectionTheRestartBrokeFailsOnceAndTheNextCallerGetsANewOne() throws Exception {
        try (Connection first = database.connect(); Connection second = database.connect()) {
            assertFalse(first.isClosed() || second.isClosed()); // both idle in the pool once closed
        }

        server.restart();

        SQLException lost = assertThrows(SQLException.class, () -> count("SELECT COUNT(*) FROM gateways"));
        assertTrue(database.isConnectionLost(lost), lost.getSQLState() + " " + lost.getMessage());
        assertEquals(1, count("SELECT COUNT(*) FROM gateways"), "not the other idle one, broken too");
    }

    private static byte[] batch(long id) {
        Batch.Intervals batch = SampleBatches.intervals(id, "RESTART" + id, 1, ENTRIES);
        return Payloads.encodeBatch(batch);
    }

    private static Optional<BatchAck> ack(Optional<IngestHandler.Reply> reply) throws Exception {
        return reply.isEmpty() ? Optional.empty() : Optional.of(Payloads.decodeAck(reply.get().payload()));
    }

    private void assertStoredOnce(long... batchIds) throws SQLException {
        for (long id : batchIds) {
            assertEquals(1, count("SELECT COUNT(*) FROM ingested_batches WHERE batch_id = " + id), "batch " + id);
            assertTrue(count("SELECT rows_added FROM ingested_batches WHERE batch_id = " + id) > 0, "batch " + id);
        }
        assertEquals(count("SELECT SUM(rows_added) FROM ingested_batches"),
                count("SELECT COUNT(*) FROM interval_values"));
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}

package org.medida.central.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.Central;
import org.medida.central.CentralFixture;
import org.medida.central.SampleBatches;
import org.medida.central.TestGateway;
import org.medida.protocol.BatchAck;
import org.medida.testing.MosquittoBroker;

/** Central and a broker that is not there yet, or restarts and forgets every session. */
class BrokerOutageTest {

    @TempDir
    Path dir;

    @Test
    void waitsForABrokerThatIsNotUpYet() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"))) {
            broker.stop();
            CompletableFuture<Central> starting = CompletableFuture.supplyAsync(() -> {
                try {
                    return CentralFixture.start(dir.resolve("central.db"), broker.url(), "gw-1");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            broker.restart();
            try (Central central = starting.get(60, TimeUnit.SECONDS);
                    TestGateway gateway = TestGateway.connect(broker.url(), "gw-1")) {
                gateway.send(SampleBatches.events(1, "M1"));
                assertEquals(BatchAck.committed(1), gateway.awaitAck());
            }
        }
    }

    @Test
    void subscribesAgainAfterTheBrokerRestartedWithoutItsSessions() throws Exception {
        Path database = dir.resolve("central.db");
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"));
                Central central = CentralFixture.start(database, broker.url(), "gw-1")) {
            try (TestGateway gateway = TestGateway.connect(broker.url(), "gw-1")) {
                gateway.send(SampleBatches.events(1, "M1"));
                assertEquals(BatchAck.committed(1), gateway.awaitAck());
            }
            broker.restart();
            CentralFixture.await("central reconnected", () -> central.isConnected());
            try (TestGateway gateway = TestGateway.connect(broker.url(), "gw-1")) {
                // The subscription may still be on its way after the reconnect: send until answered.
                BatchAck ack = null;
                Instant deadline = Instant.now().plus(CentralFixture.PATIENCE);
                while (ack == null && Instant.now().isBefore(deadline)) {
                    gateway.send(SampleBatches.gaps(2, "M1"));
                    ack = gateway.nextAck(Duration.ofSeconds(1)).orElse(null);
                }
                assertEquals(BatchAck.committed(2), ack);
            }
        }
        assertEquals(1, CentralFixture.number(database, "SELECT COUNT(*) FROM gaps"));
        assertEquals(3, CentralFixture.number(database, "SELECT COUNT(*) FROM events"));
    }
}

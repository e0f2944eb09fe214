package org.medida.central;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.events.GapBackfill;
import org.medida.protocol.BatchAck;
import org.medida.testing.FreePorts;

/**
 * Central with its own broker (the demo's mode), reached by a plain Paho gateway that sends credentials (let in: the
 * embedded broker checks none).
 */
class EmbeddedBrokerTest {

    @TempDir
    Path dir;

    @Test
    void aGatewayPublishesToTheEmbeddedBrokerAndIsAcked() throws Exception {
        Path database = dir.resolve("central.db");
        int port = FreePorts.next();
        try (Central central = Central.start(new Central.Settings(TestDatabases.where(database), dir, null,
                new Central.HostPort("127.0.0.1", port), "medida-central", null, null, "127.0.0.1", 0, List.of("gw-1"),
                CentralFixture.PLANS, GapBackfill.Settings.DEFAULTS, null), Clock.systemUTC());
                TestGateway gateway = TestGateway.connect("tcp://127.0.0.1:" + port, "gw-1", "any password")) {
            assertEquals("tcp://127.0.0.1:" + port, central.brokerUrl());
            gateway.send(SampleBatches.intervals(1, "M1", 1, 96));
            assertEquals(BatchAck.committed(1), gateway.awaitAck());
            gateway.sendStatus(true, 1);
            CentralFixture.await("gw-1 online", () -> {
                try {
                    return CentralFixture.number(database, "SELECT online FROM gateways") == 1;
                } catch (java.sql.SQLException e) {
                    throw new AssertionError(e);
                }
            });
        }
        assertEquals(192, CentralFixture.number(database, "SELECT COUNT(*) FROM interval_values"));
    }
}

package org.medida.central.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.Central;
import org.medida.central.CentralFixture;
import org.medida.central.SampleBatches;
import org.medida.central.TestDatabases;
import org.medida.central.TestGateway;
import org.medida.central.events.GapBackfill;
import org.medida.protocol.BatchAck;
import org.medida.testing.MosquittoBroker;

/** Central on a broker with per-gateway users and an ACL: its own user sees every gateway; a wrong password stops it. */
class BrokerCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void ingestsAsTheCentralUser() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"),
                Map.of("central", "central-secret", "gw-1", "gw-secret"));
                Central central = start(broker, "central-secret");
                TestGateway gateway = TestGateway.connect(broker.url(), "gw-1", "gw-secret")) {
            gateway.send(SampleBatches.drops(1, "M1"));
            assertEquals(BatchAck.committed(1), gateway.awaitAck());
        }
    }

    @Test
    void aWrongPasswordFailsTheStartInsteadOfRetryingForever() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), Map.of("central", "central-secret"))) {
            assertThrows(MqttException.class, () -> start(broker, "wrong"));
        }
    }

    private Central start(MosquittoBroker broker, String password) throws Exception {
        return Central.start(new Central.Settings(TestDatabases.where(dir.resolve("central.db")), dir, broker.url(),
                null, "medida-central", "central", password.toCharArray(), "127.0.0.1", 0, List.of("gw-1"),
                CentralFixture.PLANS, GapBackfill.Settings.DEFAULTS, null), Clock.systemUTC());
    }
}

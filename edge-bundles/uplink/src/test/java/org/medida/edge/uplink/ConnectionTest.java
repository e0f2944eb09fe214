package org.medida.edge.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.edge.uplink.CentralStandIn.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.edge.uplink.UplinkSettings.TlsMaterial;
import org.medida.protocol.GatewayStatus;
import org.medida.testing.MosquittoBroker;

/** The connection to the broker: outages, restarts, a killed gateway, credentials and TLS. */
class ConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private UplinkSettings settings(String brokerUrl, String gateway) {
        return UplinkSettings.defaults(brokerUrl, gateway, work.resolve("state-" + gateway))
                .withFlow(8, Duration.ofSeconds(2), 1000, 0)
                .withConnection(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    @Test
    void afterTheBrokerWasStoppedTheUplinkReconnectsAndDrainsEverythingCollectedMeanwhile() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(work.resolve("broker"));
                SqliteReadingStore store = Readings.openStore(work);
                CentralStandIn central = CentralStandIn.connect(broker.url(), "gw-outage");
                LogRecords log = new LogRecords()) {
            Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 2);
            try (MqttUplink uplink = new MqttUplink(settings(broker.url(), "gw-outage"), store, Optional::empty)) {
                await("the first two days delivered", WAIT, () -> Readings.rowsIn(store) == 0);

                broker.stop();
                await("the uplink noticing", WAIT, () -> !uplink.status().connected());
                Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY.plusDays(2), 5);
                long lostInSession = uplink.status().session();
                await("three more connection attempts", WAIT, () -> uplink.status().session() >= lostInSession + 3);
                assertFalse(uplink.status().lastProblem().isEmpty());
                assertEquals(7 * 96 - 2 * 96, Readings.rowsIn(store), "kept while the broker is away");

                broker.restart();
                await("the backlog drained after the restart", WAIT, () -> Readings.rowsIn(store) == 0);
                assertTrue(uplink.status().connected());
                assertEquals("", uplink.status().lastProblem());
            }
            assertEquals(7, central.batches().stream().map(b -> b.day()).distinct().count());
            // One line for the loss and one for the refused attempts, not one per attempt.
            assertEquals(1, log.problemsContaining("lost"));
            assertEquals(1, log.problemsContaining("cannot connect"), String.join("\n", log.messages()));
        }
    }

    @Test
    void theBirthIsRetainedAndAKilledGatewayIsMarkedOfflineByItsLastWillWithGrowingSessions() throws Exception {
        Path gatewayDir = work.resolve("gateway");
        try (MosquittoBroker broker = MosquittoBroker.start(work.resolve("broker"));
                CentralStandIn central = CentralStandIn.connect(broker.url(), "gw-kill")) {
            Process first = startGateway(broker.url(), "gw-kill", gatewayDir);
            try {
                await("the first birth", WAIT, () -> status(true, 1, central) != null);
                try (CentralStandIn late = CentralStandIn.connect(broker.url(), "gw-kill")) {
                    await("the retained birth for a late subscriber", WAIT,
                            () -> late.statuses().size() == 1 && late.statuses().get(0).online());
                }
                first.toHandle().destroyForcibly();
                first.waitFor();
                await("the last will", WAIT, () -> status(false, 1, central) != null);
            } finally {
                first.destroyForcibly();
            }
            Process second = startGateway(broker.url(), "gw-kill", gatewayDir);
            try {
                await("the birth after the restart, one session later", WAIT,
                        () -> status(true, 2, central) != null);
                second.getOutputStream().close();
                assertEquals(0, second.waitFor());
                await("the offline status of a clean stop", WAIT,
                        () -> status(false, 2, central) != null);
            } finally {
                second.destroyForcibly();
            }
        }
    }

    /** The status in central's list with that state and session, if any (times and software aside). */
    private static GatewayStatus status(boolean online, long session, CentralStandIn central) {
        return central.statuses().stream().filter(s -> s.online() == online && s.session() == session).findFirst()
                .orElse(null);
    }

    private static Process startGateway(String brokerUrl, String gateway, Path dir) throws IOException {
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), UplinkProcess.class.getName(), brokerUrl, gateway,
                dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII));
        String line = out.readLine();
        if (!"up".equals(line)) {
            process.destroyForcibly();
            throw new IOException("the gateway process did not start: " + line);
        }
        return process;
    }

    @Test
    void aDroppedTcpConnectionIsAnsweredByTheLastWillAndANewSession() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(work.resolve("broker"));
                LinkCut wan = new LinkCut(broker.port());
                SqliteReadingStore store = Readings.openStore(work);
                CentralStandIn central = CentralStandIn.connect(broker.url(), "gw-cut");
                MqttUplink uplink = new MqttUplink(settings(wan.url(), "gw-cut"), store, Optional::empty)) {
            await("the birth", WAIT, () -> status(true, 1, central) != null);
            wan.cut();
            await("the last will of session 1", WAIT, () -> status(false, 1, central) != null);
            wan.restore();
            await("a later birth", WAIT, () -> central.statuses().get(central.statuses().size() - 1).online());
            assertTrue(central.statuses().get(central.statuses().size() - 1).session() > 1);
        }
    }

    @Test
    void aWrongPasswordPublishesNothingSaysSoOnceAndTheFixedConfigurationRecovers() throws Exception {
        Map<String, String> users = Map.of("gw-auth", "right", "central", "central-secret");
        try (MosquittoBroker broker = MosquittoBroker.start(work.resolve("broker"), users);
                SqliteReadingStore store = Readings.openStore(work);
                CentralStandIn central = CentralStandIn.connect(broker.url(), "gw-auth", "central", "central-secret");
                LogRecords log = new LogRecords()) {
            Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 2);
            UplinkSettings wrong = settings(broker.url(), "gw-auth").withCredentials("gw-auth", "wrong");
            try (MqttUplink uplink = new MqttUplink(wrong, store, Optional::empty)) {
                await("three refused attempts", WAIT, () -> uplink.status().session() >= 3);
                assertTrue(uplink.status().lastProblem().contains("refused the credentials of user 'gw-auth'"),
                        uplink.status().lastProblem());
                assertFalse(uplink.status().connected());
                assertEquals(0, uplink.status().publishedBatches());
            }
            assertEquals(1, log.problemsContaining("refused the credentials"));
            assertFalse(String.join("\n", log.messages()).contains("wrong"), "the password is never logged");
            assertEquals(List.of(), central.batches());
            assertEquals(2 * 96, Readings.rowsIn(store));

            UplinkSettings fixed = settings(broker.url(), "gw-auth").withCredentials("gw-auth", "right");
            try (MqttUplink uplink = new MqttUplink(fixed, store, Optional::empty)) {
                await("the backlog drained with the right password", WAIT, () -> Readings.rowsIn(store) == 0);
            }
        }
    }

    /**
     * Mosquitto 2.0 grants a subscription its ACL denies and drops a denied publish after its PUBACK, so a gateway
     * id outside the user's topics looks connected: its batches find no central, nothing is deleted, and the
     * missing acknowledgements are reported once, naming the topic to check.
     */
    @Test
    void aGatewayIdOutsideTheUsersTopicsDeletesNothingAndSaysWhatToCheck() throws Exception {
        Map<String, String> users = Map.of("gw-a", "secret-a", "central", "central-secret");
        try (MosquittoBroker broker = MosquittoBroker.start(work.resolve("broker"), users);
                SqliteReadingStore store = Readings.openStore(work);
                CentralStandIn central = CentralStandIn.connect(broker.url(), "gw-b", "central", "central-secret");
                LogRecords log = new LogRecords()) {
            Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 1);
            UplinkSettings elsewhere = settings(broker.url(), "gw-b").withCredentials("gw-a", "secret-a");
            try (MqttUplink uplink = new MqttUplink(elsewhere, store, Optional::empty)) {
                await("three sends without acknowledgement", WAIT, () -> uplink.status().ackTimeouts() >= 3);
            }
            assertEquals(1, log.problemsContaining("may user 'gw-a' publish to medida/v1/gw/gw-b/batch"));
            assertEquals(List.of(), central.batches());
            assertEquals(96, Readings.rowsIn(store));
        }
    }

    @Test
    void tlsWithTheBrokersCaInTheTrustStoreWorksAndAnUnknownCaIsAClearError() throws Exception {
        TestCertificates certificates = TestCertificates.create(work.resolve("pki"));
        TestCertificates stranger = TestCertificates.create(work.resolve("other-pki"));
        try (MosquittoBroker broker = MosquittoBroker.start(work.resolve("broker"), Map.of(),
                certificates.brokerTls(false));
                SqliteReadingStore store = Readings.openStore(work);
                CentralStandIn central = CentralStandIn.connect(broker.url(), "gw-tls",
                        TlsSockets.from(certificates.trust()))) {
            assertTrue(broker.url().startsWith("ssl://"));
            Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 2);

            UplinkSettings untrusting = settings(broker.url(), "gw-tls").withTls(stranger.trust());
            try (MqttUplink uplink = new MqttUplink(untrusting, store, Optional::empty)) {
                await("a refused handshake", WAIT, () -> uplink.status().lastProblem().contains("TLS"));
                assertEquals(0, uplink.status().publishedBatches());
            }

            UplinkSettings trusting = settings(broker.url(), "gw-tls").withTls(certificates.trust());
            try (MqttUplink uplink = new MqttUplink(trusting, store, Optional::empty)) {
                await("the backlog drained over TLS", WAIT, () -> Readings.rowsIn(store) == 0);
            }
            assertEquals(2, central.batches().size());
        }
    }

    @Test
    void aBrokerThatRequiresClientCertificatesAcceptsTheGatewaysKeyStoreOnly() throws Exception {
        TestCertificates certificates = TestCertificates.create(work.resolve("pki"));
        try (MosquittoBroker broker = MosquittoBroker.start(work.resolve("broker"), Map.of(),
                certificates.brokerTls(true));
                SqliteReadingStore store = Readings.openStore(work);
                CentralStandIn central = CentralStandIn.connect(broker.url(), "gw-tls",
                        TlsSockets.from(certificates.trustAndIdentity()))) {
            Readings.appendDays(store, "MTR-1", Readings.FIRST_DAY, 1);
            try (MqttUplink anonymous = new MqttUplink(settings(broker.url(), "gw-tls").withTls(certificates.trust()),
                    store, Optional::empty)) {
                await("a refused connection without certificate", WAIT,
                        () -> !anonymous.status().lastProblem().isEmpty());
                assertEquals(0, anonymous.status().publishedBatches());
            }
            UplinkSettings identified = settings(broker.url(), "gw-tls").withTls(certificates.trustAndIdentity());
            try (MqttUplink uplink = new MqttUplink(identified, store, Optional::empty)) {
                await("the day delivered with the client certificate", WAIT, () -> Readings.rowsIn(store) == 0);
            }
            assertEquals(1, central.batches().size());
        }
    }

    /** A trust store that cannot be read stops the uplink at its start, with the reason. */
    @Test
    void anUnreadableTrustStoreIsRefusedAtStart() {
        UplinkSettings broken = settings("ssl://127.0.0.1:1", "gw-broken")
                .withTls(new TlsMaterial(work.resolve("missing.p12"), "x", Optional.empty(), ""));
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new MqttUplink(broken, null, Optional::empty));
        assertTrue(refused.getMessage().contains("missing.p12"), refused.getMessage());
    }
}

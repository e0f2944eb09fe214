package org.medida.central.provisioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterSecurity;
import org.medida.protocol.InventoryChange;
import org.medida.protocol.InventoryResult;

/** The provisioning service on a real database: inventory, lifecycle through gateways, history and audit. */
class ProvisioningTest {

    private static final String METER = "LGZ0000001";

    @TempDir
    Path dir;

    private ProvisioningBench bench;

    @BeforeEach
    void start() throws Exception {
        bench = new ProvisioningBench(dir, Duration.ofSeconds(60));
        bench.gateway("gw-1");
        bench.gateway("gw-2");
    }

    @AfterEach
    void stop() {
        bench.close();
    }

    @Test
    void aRegisteredMetersSecretsAreSealedAndNeverShown() throws Exception {
        bench.provisioning.registerMeter(ProvisioningBench.hls(METER, "gw-1"), "tech");
        String sealed = bench.text("SELECT secrets_encrypted FROM meters WHERE serial = ?", METER);
        assertFalse(sealed.contains("000102030405060708090a0b0c0d0e0f"), sealed);
        MeterSecrets secrets = MeterSecrets.open(bench.secrets, sealed);
        assertEquals("000102030405060708090a0b0c0d0e0f", secrets.encryptionKey());
        assertFalse(secrets.toString().contains("0001"), secrets.toString());
        ProvisioningQueries.MeterView meter = bench.queries.meter(METER).orElseThrow().meter();
        assertEquals("registered", meter.state());
        assertTrue(meter.hasSecrets());
        assertEquals(List.of("disconnector", "load_profile"), meter.capabilities());
        assertEquals("meter.register", bench.text("SELECT action FROM audit_log WHERE target = ?", METER));
        assertFalse(bench.text("SELECT detail FROM audit_log WHERE target = ?", METER).contains("0001"));
        assertTrue(bench.gateways.isKnown("gw-1"), "a saved gateway's messages are accepted");
    }

    @Test
    void aRegistrationWaitsWhileAnotherWriterHoldsTheDatabase() throws Exception {
        // as the ingest does while it stores a batch: SQLite answers a transaction that read first SQLITE_BUSY at once
        CountDownLatch locked = new CountDownLatch(1);
        Thread ingest = new Thread(() -> {
            try (Connection writer = bench.database.connect(); Statement statement = writer.createStatement()) {
                writer.setAutoCommit(false);
                statement.executeUpdate("UPDATE gateways SET ip = ip WHERE gateway_id = 'gw-2'");
                locked.countDown();
                Thread.sleep(300);
                writer.commit();
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        ingest.start();
        assertTrue(locked.await(10, TimeUnit.SECONDS));
        assertEquals("registered", bench.provisioning.registerMeter(ProvisioningBench.hls(METER, "gw-1"), "tech")
                .state());
        ingest.join();
        assertEquals("registered", bench.text("SELECT state FROM meters WHERE serial = ?", METER));
    }

    @Test
    void aCommissionWaitsForTheGatewayAndIsConfirmedByIt() throws Exception {
        bench.provisioning.registerMeter(ProvisioningBench.hls(METER, "gw-1"), "tech");
        String id = bench.provisioning.commission(METER, "tech").correlationIds().get(0);
        Thread.sleep(1500);
        assertTrue(bench.published.isEmpty(), "nothing goes to an offline gateway");
        assertEquals("PENDING", bench.text("SELECT state FROM inventory_changes WHERE correlation_id = ?", id));

        bench.online("gw-1", 1);
        ProvisioningBench.Published sent = bench.next();
        assertEquals("medida/v1/gw/gw-1/inventory/request", sent.topic());
        InventoryChange change = sent.change();
        assertEquals(id, change.correlationId());
        assertEquals(InventoryChange.Action.COMMISSION, change.action());
        assertEquals(new MeterLink.TcpHdlc("10.1.1.9", 4059, 17, 1, "plc-a"), change.meter().link());
        assertEquals(MeterSecurity.Level.HLS5_GMAC, change.meter().security().level());
        assertArrayEquals(HexFormat.of().parseHex("f0e0d0c0b0a090807060504030201000"),
                change.meter().security().authenticationKey());
        CentralAwait.until("the change is marked sent", () -> "SENT".equals(
                bench.text("SELECT state FROM inventory_changes WHERE correlation_id = ?", id)));
        assertEquals("registered", bench.text("SELECT state FROM meters WHERE serial = ?", METER));

        bench.answer("gw-1", id, METER, InventoryResult.Status.OK, "");
        bench.answer("gw-1", id, METER, InventoryResult.Status.OK, "");
        assertEquals("CONFIRMED", bench.text("SELECT state FROM inventory_changes WHERE correlation_id = ?", id));
        assertEquals("commissioned", bench.text("SELECT state FROM meters WHERE serial = ?", METER));
        assertEquals("1", bench.text("SELECT COUNT(*) FROM central_events WHERE serial = ? AND source = 'lifecycle' "
                + "AND name = 'commissioned'", METER));
    }

    @Test
    void aChangeWithoutAnswerIsSentAgainAndAnAnswerFromTheWrongGatewayIsIgnored() throws Exception {
        bench.close();
        bench = new ProvisioningBench(dir, Duration.ofMillis(300));
        bench.online("gw-1", 1);
        bench.provisioning.registerMeter(ProvisioningBench.hls(METER, "gw-1"), "tech");
        String id = bench.provisioning.commission(METER, "tech").correlationIds().get(0);
        assertEquals(id, bench.next().change().correlationId());
        assertEquals(id, bench.next().change().correlationId());
        bench.answer("gw-2", id, METER, InventoryResult.Status.OK, "");
        assertEquals("registered", bench.text("SELECT state FROM meters WHERE serial = ?", METER));
    }

    @Test
    void aGatewaysNewConnectionGetsWhatItHasNotAnsweredAtOnce() throws Exception {
        bench.online("gw-1", 1);
        bench.provisioning.registerMeter(ProvisioningBench.hls(METER, "gw-1"), "tech");
        String id = bench.provisioning.commission(METER, "tech").correlationIds().get(0);
        assertEquals(id, bench.next().change().correlationId());
        CentralAwait.until("the change is marked sent", () -> "SENT".equals(
                bench.text("SELECT state FROM inventory_changes WHERE correlation_id = ?", id)));
        bench.online("gw-1", 2);
        assertEquals(id, bench.next().change().correlationId(), "sent again without waiting 60 s");
    }

    @Test
    void aChangeWaitsWhileTheBrokerIsDown() throws Exception {
        bench.brokerUp = false;
        bench.online("gw-1", 1);
        bench.provisioning.registerMeter(ProvisioningBench.hls(METER, "gw-1"), "tech");
        String id = bench.provisioning.commission(METER, "tech").correlationIds().get(0);
        Thread.sleep(1500);
        assertEquals("PENDING", bench.text("SELECT state FROM inventory_changes WHERE correlation_id = ?", id));
        bench.brokerUp = true;
        assertEquals(id, bench.next().change().correlationId());
    }

    @Test
    void aRefusedDecommissionLeavesTheMeterAsItWas() throws Exception {
        bench.online("gw-1", 1);
        commissioned(METER, "gw-1");
        String id = bench.provisioning.decommission(METER, "tech").correlationIds().get(0);
        assertEquals(InventoryChange.Action.DECOMMISSION, bench.next().change().action());
        bench.answer("gw-1", id, METER, InventoryResult.Status.FAIL, "meter table: disk full");
        assertEquals("FAILED", bench.text("SELECT state FROM inventory_changes WHERE correlation_id = ?", id));
        assertEquals("meter table: disk full", bench.text("SELECT detail FROM inventory_changes WHERE "
                + "correlation_id = ?", id));
        assertEquals("commissioned", bench.text("SELECT state FROM meters WHERE serial = ?", METER));

        String again = bench.provisioning.decommission(METER, "tech").correlationIds().get(0);
        bench.next();
        bench.answer("gw-1", again, METER, InventoryResult.Status.OK, "");
        assertEquals("decommissioned", bench.text("SELECT state FROM meters WHERE serial = ?", METER));
        ProvisioningException twice = assertThrows(ProvisioningException.class,
                () -> bench.provisioning.decommission(METER, "tech"));
        assertEquals(ProvisioningException.Kind.CONFLICT, twice.kind());
    }

    @Test
    void aRelinkDecommissionsAtTheOldGatewayAndCommissionsAtTheNew() throws Exception {
        bench.online("gw-1", 1);
        bench.online("gw-2", 1);
        commissioned(METER, "gw-1");
        List<String> ids = bench.provisioning.relink(METER, "gw-2", "tech").correlationIds();
        assertEquals(2, ids.size());
        List<ProvisioningBench.Published> sent = List.of(bench.next(), bench.next());
        assertTrue(sent.stream().anyMatch(p -> p.topic().equals("medida/v1/gw/gw-1/inventory/request")
                && p.change().action() == InventoryChange.Action.DECOMMISSION));
        assertTrue(sent.stream().anyMatch(p -> p.topic().equals("medida/v1/gw/gw-2/inventory/request")
                && p.change().action() == InventoryChange.Action.COMMISSION));
        bench.answer("gw-1", ids.get(0), METER, InventoryResult.Status.OK, "");
        bench.answer("gw-2", ids.get(1), METER, InventoryResult.Status.OK, "");
        assertEquals("commissioned", bench.text("SELECT state FROM meters WHERE serial = ?", METER));
        assertEquals("gw-2", bench.text("SELECT gateway_id FROM meters WHERE serial = ?", METER));
        ProvisioningException same = assertThrows(ProvisioningException.class,
                () -> bench.provisioning.relink(METER, "gw-2", "tech"));
        assertTrue(same.getMessage().contains("already"), same.getMessage());
        ProvisioningException unknown = assertThrows(ProvisioningException.class,
                () -> bench.provisioning.relink(METER, "gw-9", "tech"));
        assertTrue(unknown.getMessage().contains("no gateway gw-9"), unknown.getMessage());
        ProvisioningException registration = assertThrows(ProvisioningException.class,
                () -> bench.provisioning.registerMeter(ProvisioningBench.hls(METER, "gw-1"), "tech"));
        assertTrue(registration.getMessage().contains("relink"), registration.getMessage());
    }

    @Test
    void aPointToPointMeterChangesItsLifecycleAtOnce() throws Exception {
        bench.provisioning.registerMeter(new MeterRegistration("P2P-1", null, null, null, "point_to_point", null,
                "wrapper", "192.0.2.5", 4059, null, null, null, "lls", "secret", null, null, null), "tech");
        Provisioning.Accepted accepted = bench.provisioning.commission("P2P-1", "tech");
        assertEquals("commissioned", accepted.state());
        assertTrue(accepted.correlationIds().isEmpty());
        assertEquals("1", bench.text("SELECT COUNT(*) FROM central_events WHERE serial = 'P2P-1' "
                + "AND name = 'commissioned'"));
        assertEquals("secret", MeterSecrets.open(bench.secrets,
                bench.text("SELECT secrets_encrypted FROM meters WHERE serial = 'P2P-1'")).password());
    }

    @Test
    void aReRegistrationWithoutSecretsKeepsTheStoredOnes() throws Exception {
        bench.provisioning.registerMeter(ProvisioningBench.hls(METER, "gw-1"), "tech");
        MeterRegistration update = new MeterRegistration(METER, "E450", null, "1.3.0", "gateway", "gw-2", "hdlc",
                "10.1.1.9", 4059, 1, 17, null, "hls5_gmac", null, null, null, null);
        bench.provisioning.registerMeter(update, "tech");
        assertEquals("f0e0d0c0b0a090807060504030201000", MeterSecrets.open(bench.secrets,
                bench.text("SELECT secrets_encrypted FROM meters WHERE serial = ?", METER)).authenticationKey());
        assertEquals("meter.update", bench.column("SELECT action FROM audit_log WHERE target = ? ORDER BY audit_id",
                METER).get(1));
    }

    @Test
    void invalidRegistrationsSayWhichFieldIsWrong() throws Exception {
        MeterRegistration good = ProvisioningBench.hls(METER, "gw-1");
        assertInvalid("serial is required", withSerial(good, " "));
        assertInvalid("gatewayId is required", new MeterRegistration(METER, null, null, null, null, null, "hdlc",
                "h", 1, null, null, null, null, null, null, null, null));
        assertInvalid("gatewayId: no gateway gw-9", new MeterRegistration(METER, null, null, null, null, "gw-9",
                "hdlc", "h", 1, null, null, null, null, null, null, null, null));
        assertInvalid("transport must be one of wrapper, hdlc, serial", new MeterRegistration(METER, null, null, null,
                null, "gw-1", "gsm", "h", 1, null, null, null, null, null, null, null, null));
        assertInvalid("port must be 1..65535", new MeterRegistration(METER, null, null, null, null, "gw-1", "hdlc",
                "h", 70000, null, null, null, null, null, null, null, null));
        assertInvalid("host is required", new MeterRegistration(METER, null, null, null, null, "gw-1", "hdlc",
                "", 1, null, null, null, null, null, null, null, null));
        assertInvalid("password is required for security lls", new MeterRegistration(METER, null, null, null, null,
                "gw-1", "hdlc", "h", 1, null, null, null, "lls", null, null, null, null));
        assertInvalid("encryptionKey must be 32 hexadecimal digits", new MeterRegistration(METER, null, null, null,
                null, "gw-1", "hdlc", "h", 1, null, null, null, "hls5_gmac", null, "00zz", "00", null));
        assertInvalid("unknown capability 'teleport'", new MeterRegistration(METER, null, null, null, null, "gw-1",
                "hdlc", "h", 1, null, null, null, null, null, null, null, List.of("teleport")));
        assertInvalid("connection must be one of gateway, point_to_point", new MeterRegistration(METER, null, null,
                null, "pigeon", "gw-1", "hdlc", "h", 1, null, null, null, null, null, null, null, null));
        assertInvalid("timezone must be a time zone id", null);
        assertEquals("0", bench.text("SELECT COUNT(*) FROM meters"));
    }

    private void assertInvalid(String expected, MeterRegistration registration) {
        ProvisioningException e = assertThrows(ProvisioningException.class, () -> {
            if (registration == null) {
                bench.provisioning.saveGateway(new GatewayRegistration("gw-3", null, null, null, null, "Mars/Olympus",
                        null, null, null), "tech");
            } else {
                bench.provisioning.registerMeter(registration, "tech");
            }
        });
        assertEquals(ProvisioningException.Kind.INVALID, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static MeterRegistration withSerial(MeterRegistration r, String serial) {
        return new MeterRegistration(serial, r.meterType(), r.manufacturer(), r.firmware(), r.connection(),
                r.gatewayId(), r.transport(), r.host(), r.port(), r.logicalDevice(), r.physicalAddress(), r.channel(),
                r.security(), r.password(), r.encryptionKey(), r.authenticationKey(), r.capabilities());
    }

    @Test
    void aMeterDiscoveredInDataMustBeRegisteredBeforeItIsCommissioned() throws Exception {
        try (var connection = bench.database.connect(); var insert = connection.prepareStatement(
                "INSERT INTO meters (serial, gateway_id, first_seen) VALUES ('SEEN-1', 'gw-1', 0)")) {
            insert.executeUpdate();
        }
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> bench.provisioning.commission("SEEN-1", "tech"));
        assertEquals(ProvisioningException.Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("register it first"), e.getMessage());
        assertEquals(ProvisioningException.Kind.NOT_FOUND, assertThrows(ProvisioningException.class,
                () -> bench.provisioning.commission("NOBODY", "tech")).kind());
        bench.provisioning.registerMeter(ProvisioningBench.hls("SEEN-1", "gw-1"), "tech");
        assertEquals("registered", bench.text("SELECT state FROM meters WHERE serial = 'SEEN-1'"));
        assertEquals("0", bench.text("SELECT first_seen FROM meters WHERE serial = 'SEEN-1'"));
    }

    @Test
    void usagePointsKeepTheirHistoryAndFollowAMeterExchange() throws Exception {
        bench.provisioning.registerMeter(ProvisioningBench.hls(METER, "gw-1"), "tech");
        bench.provisioning.registerMeter(ProvisioningBench.hls("LGZ0000002", "gw-1"), "tech");
        bench.provisioning.linkUsagePoint(METER, "IT001E00000001", "Via Roma 1", "tech");
        bench.provisioning.linkUsagePoint(METER, "IT001E00000001", null, "tech");
        assertEquals("1", bench.text("SELECT COUNT(*) FROM meter_usage_points"), "linking again changes nothing");
        Thread.sleep(2);
        bench.provisioning.linkUsagePoint("LGZ0000002", "IT001E00000001", null, "tech");
        assertNull(bench.queries.meter(METER).orElseThrow().meter().usagePoint(), "the exchanged meter left it");
        ProvisioningQueries.UsagePointView current = bench.queries.meter("LGZ0000002").orElseThrow().meter()
                .usagePoint();
        assertEquals("Via Roma 1", current.address());
        assertEquals(1, bench.queries.meter(METER).orElseThrow().usagePoints().size());
        bench.provisioning.unlinkUsagePoint("LGZ0000002", "tech");
        assertNull(bench.queries.meter("LGZ0000002").orElseThrow().meter().usagePoint());
        assertEquals(ProvisioningException.Kind.CONFLICT, assertThrows(ProvisioningException.class,
                () -> bench.provisioning.unlinkUsagePoint("LGZ0000002", "tech")).kind());
        assertEquals(ProvisioningException.Kind.INVALID, assertThrows(ProvisioningException.class,
                () -> bench.provisioning.linkUsagePoint(METER, " ", null, "tech")).kind());
    }

    @Test
    void contractsAreValidatedAndAudited() throws Exception {
        bench.provisioning.registerMeter(ProvisioningBench.hls(METER, "gw-1"), "tech");
        bench.provisioning.changeContract(METER, "residential-3kW", "Active", "TOU-2", "tech");
        ProvisioningQueries.MeterView meter = bench.queries.meter(METER).orElseThrow().meter();
        assertEquals("residential-3kW", meter.contractProfile());
        assertEquals("active", meter.contractState());
        assertEquals("TOU-2", meter.tariffProfile());
        assertEquals("profile residential-3kW, state active, tariff TOU-2",
                bench.text("SELECT detail FROM audit_log WHERE action = 'meter.contract'"));
        assertEquals(ProvisioningException.Kind.INVALID, assertThrows(ProvisioningException.class,
                () -> bench.provisioning.changeContract(METER, "p", "paused", "", "tech")).kind());
        assertEquals(ProvisioningException.Kind.INVALID, assertThrows(ProvisioningException.class,
                () -> bench.provisioning.changeContract(METER, null, "active", "", "tech")).kind());
        assertEquals(ProvisioningException.Kind.NOT_FOUND, assertThrows(ProvisioningException.class,
                () -> bench.provisioning.changeContract("NOBODY", "p", "active", "", "tech")).kind());
        bench.online("gw-1", 1);
        commissioned("LGZ0000002", "gw-1");
        String id = bench.provisioning.decommission("LGZ0000002", "tech").correlationIds().get(0);
        bench.next();
        bench.answer("gw-1", id, "LGZ0000002", InventoryResult.Status.OK, "");
        assertEquals(ProvisioningException.Kind.CONFLICT, assertThrows(ProvisioningException.class,
                () -> bench.provisioning.changeContract("LGZ0000002", "p", "active", "", "tech")).kind());
    }

    @Test
    void groupsTakeOnlyKnownMeters() throws Exception {
        bench.provisioning.registerMeter(ProvisioningBench.hls(METER, "gw-1"), "tech");
        assertEquals(1, bench.provisioning.addToGroup("north", List.of(METER, METER), "tech"));
        assertEquals(0, bench.provisioning.addToGroup("north", List.of(METER), "tech"));
        assertEquals(List.of("north"), bench.queries.meter(METER).orElseThrow().meter().groups());
        ProvisioningException e = assertThrows(ProvisioningException.class,
                () -> bench.provisioning.addToGroup("north", List.of(METER, "GHOST"), "tech"));
        assertTrue(e.getMessage().contains("unknown meters GHOST"), e.getMessage());
        assertEquals(ProvisioningException.Kind.INVALID, assertThrows(ProvisioningException.class,
                () -> bench.provisioning.addToGroup("north", List.of(), "tech")).kind());
    }

    private void commissioned(String serial, String gatewayId) throws Exception {
        bench.provisioning.registerMeter(ProvisioningBench.hls(serial, gatewayId), "tech");
        String id = bench.provisioning.commission(serial, "tech").correlationIds().get(0);
        bench.next();
        bench.answer(gatewayId, id, serial, InventoryResult.Status.OK, "");
    }
}

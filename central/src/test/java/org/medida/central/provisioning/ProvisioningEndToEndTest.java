package org.medida.central.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.TestDatabases;
import org.medida.central.Central;
import org.medida.central.CentralFixture;
import org.medida.central.db.Database;
import org.medida.central.gateways.Gateways;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.MeterState;
import org.medida.edge.inventory.SqliteMeterInventory;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.edge.store.StoreSettings;
import org.medida.edge.uplink.MqttUplink;
import org.medida.edge.uplink.UplinkSettings;
import org.medida.testing.MosquittoBroker;

/**
 * Provisioning from central to a gateway's meter table and back, with every part real: Mosquitto, central as it
 * starts in production, and the gateway's uplink with its SQLite meter table and store. The change is made while
 * the gateway is offline and confirmed once it comes online.
 */
class ProvisioningEndToEndTest {

    private static final String GATEWAY = "gw-e2e";
    private static final String METER = "LGZ0000042";

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private Central central;
    private Database database;
    private Provisioning provisioning;
    private SqliteMeterInventory inventory;
    private SqliteReadingStore store;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws Exception {
        broker = MosquittoBroker.start(dir.resolve("broker"));
        Path file = dir.resolve("central.db");
        central = CentralFixture.start(file, broker.url(), GATEWAY);
        // the operator's side, as the HTTP routes call it: same database and key file as the running central
        database = TestDatabases.open(file);
        provisioning = new Provisioning(database, Gateways.load(database),
                SecretBox.open(dir.resolve(Central.SECRET_KEY_FILE)), () -> { }, Clock.systemUTC());
        inventory = SqliteMeterInventory.open(dir.resolve("gateway-inventory.db"));
        store = SqliteReadingStore.open(new StoreSettings(dir.resolve("gateway-store.db"), 64L * 1024 * 1024));
    }

    @AfterEach
    void stop() {
        store.close();
        inventory.close();
        central.close();
        broker.close();
    }

    @Test
    void aMeterCommissionedWhileItsGatewayIsOfflineReachesItsTableAndIsDecommissionedAgain() throws Exception {
        provisioning.registerMeter(ProvisioningBench.hls(METER, GATEWAY), "tech");
        String commission = provisioning.commission(METER, "tech").correlationIds().get(0);
        Thread.sleep(2000);
        assertEquals("PENDING", CentralFixture.text(dir.resolve("central.db"),
                "SELECT state FROM inventory_changes WHERE correlation_id = '" + commission + "'"));

        UplinkSettings settings = UplinkSettings.defaults(broker.url(), GATEWAY, dir.resolve("uplink-state"))
                .withConnection(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1));
        try (MqttUplink uplink = new MqttUplink(settings, store, Optional::empty, () -> Optional.of(inventory))) {
            awaitState("commissioned");
            var meter = inventory.meter(METER).orElseThrow();
            assertEquals(MeterState.COMMISSIONED, meter.state());
            assertEquals(new MeterLink.TcpHdlc("10.1.1.9", 4059, 17, 1, "plc-a"), meter.meter().link());
            assertEquals(MeterSecurity.Level.HLS5_GMAC, meter.meter().security().level());
            assertEquals(16, meter.meter().security().encryptionKey().length);
            String shown = get("/api/meters/" + METER);
            assertTrue(shown.contains("\"state\":\"commissioned\"") && shown.contains("\"state\":\"CONFIRMED\""),
                    shown);
            assertEquals(1, lifecycleEvents("commissioned"));

            provisioning.decommission(METER, "tech");
            awaitState("decommissioned");
            assertEquals(MeterState.DECOMMISSIONED, inventory.meter(METER).orElseThrow().state());
            assertEquals(1, lifecycleEvents("decommissioned"));
            assertEquals(List.of("CONFIRMED", "CONFIRMED"), List.of(
                    CentralFixture.text(dir.resolve("central.db"), "SELECT MIN(state) FROM inventory_changes"),
                    CentralFixture.text(dir.resolve("central.db"), "SELECT MAX(state) FROM inventory_changes")));
        }
    }

    private void awaitState(String state) throws InterruptedException {
        CentralFixture.await("meter " + METER + " is " + state + " at central", () -> {
            try {
                return state.equals(CentralFixture.text(dir.resolve("central.db"),
                        "SELECT state FROM meters WHERE serial = '" + METER + "'"));
            } catch (java.sql.SQLException e) {
                return false;
            }
        });
    }

    private long lifecycleEvents(String name) throws Exception {
        return CentralFixture.number(dir.resolve("central.db"), "SELECT COUNT(*) FROM central_events WHERE serial = '"
                + METER + "' AND source = 'lifecycle' AND name = '" + name + "' AND gateway_id = '" + GATEWAY + "'");
    }

    private String get(String path) throws Exception {
        return org.medida.central.web.WebClient.admin(central.httpPort()).get(path).body();
    }
}

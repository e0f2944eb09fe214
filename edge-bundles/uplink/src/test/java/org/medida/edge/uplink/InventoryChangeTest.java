package org.medida.edge.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.edge.uplink.CentralStandIn.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.MeterState;
import org.medida.edge.inventory.SqliteMeterInventory;
import org.medida.protocol.InventoryChange;
import org.medida.protocol.InventoryResult;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;

/** Central's inventory changes reach the gateway's real meter table and are answered under their correlation id. */
class InventoryChangeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String GATEWAY = "gw-inv";
    private static final MeterRef METER = new MeterRef("MTR-7", new MeterLink.TcpHdlc("10.0.0.9", 4059, 17, 1, "plc"),
            MeterSecurity.hls5Gmac(new byte[16], new byte[16]));

    @TempDir
    Path work;

    private Bench bench;
    private SqliteMeterInventory inventory;

    @BeforeEach
    void start() throws Exception {
        bench = Bench.start(work, GATEWAY);
        inventory = SqliteMeterInventory.open(work.resolve("inventory.db"));
    }

    @AfterEach
    void stop() throws Exception {
        inventory.close();
        bench.close();
    }

    private UplinkSettings settings() {
        return UplinkSettings.defaults(bench.broker.url(), GATEWAY, work.resolve("state"))
                .withConnection(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    private void send(InventoryChange change) throws Exception {
        bench.central.publish(Topics.inventoryRequest(GATEWAY), Payloads.encodeInventoryChange(change));
    }

    private InventoryResult resultOf(String correlationId, int copy) {
        await("inventory result " + correlationId, WAIT, () -> bench.central.inventoryResults().stream()
                .filter(r -> r.correlationId().equals(correlationId)).count() >= copy);
        return bench.central.inventoryResults().stream().filter(r -> r.correlationId().equals(correlationId))
                .skip(copy - 1).findFirst().orElseThrow();
    }

    @Test
    void commissionAndDecommissionAreAppliedOnceHoweverOftenTheyArrive() throws Exception {
        try (MqttUplink uplink = new MqttUplink(settings(), bench.store(), Optional::empty,
                () -> Optional.of(inventory))) {
            await("online", WAIT, () -> uplink.status().connected());
            send(InventoryChange.commission("c-1", METER));
            send(InventoryChange.commission("c-1", METER));
            assertEquals(InventoryResult.Status.OK, resultOf("c-1", 1).status());
            assertEquals(InventoryResult.Status.OK, resultOf("c-1", 2).status());
            assertEquals(MeterState.COMMISSIONED, inventory.meter("MTR-7").orElseThrow().state());
            assertEquals(METER, inventory.meter("MTR-7").orElseThrow().meter());

            send(InventoryChange.decommission("d-1", "MTR-7"));
            assertEquals(InventoryResult.Status.OK, resultOf("d-1", 1).status());
            assertEquals(MeterState.DECOMMISSIONED, inventory.meter("MTR-7").orElseThrow().state());
            send(InventoryChange.decommission("d-2", "NEVER-SEEN"));
            assertEquals("not in the meter table", resultOf("d-2", 1).detail());
        }
    }

    @Test
    void aMalformedChangeWithAReadableIdFailsAndWithoutOneIsDropped() throws Exception {
        try (MqttUplink uplink = new MqttUplink(settings(), bench.store(), Optional::empty,
                () -> Optional.of(inventory))) {
            await("online", WAIT, () -> uplink.status().connected());
            byte[] payload = Payloads.encodeInventoryChange(InventoryChange.commission("c-bad", METER));
            bench.central.publish(Topics.inventoryRequest(GATEWAY), Arrays.copyOf(payload, payload.length - 4));
            bench.central.publish(Topics.inventoryRequest(GATEWAY), new byte[] {'M', 1, 6});
            InventoryResult result = resultOf("c-bad", 1);
            assertEquals(InventoryResult.Status.FAIL, result.status());
            assertTrue(result.detail().startsWith("malformed: "), result.detail());
            assertTrue(inventory.meter("MTR-7").isEmpty());
            send(InventoryChange.commission("c-2", METER));
            assertEquals(InventoryResult.Status.OK, resultOf("c-2", 1).status());
            assertEquals(2, bench.central.inventoryResults().size(), "nothing answers the unreadable one");
        }
    }

    @Test
    void withoutAMeterTableTheChangeFails() throws Exception {
        try (MqttUplink uplink = new MqttUplink(settings(), bench.store(), Optional::empty)) {
            await("online", WAIT, () -> uplink.status().connected());
            send(InventoryChange.commission("c-3", METER));
            InventoryResult result = resultOf("c-3", 1);
            assertEquals(InventoryResult.Status.FAIL, result.status());
            assertEquals("the meter table is not running", result.detail());
        }
    }
}

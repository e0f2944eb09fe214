package org.medida.edge.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.Failure;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.InventoryMeter;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.MeterState;
import org.medida.edge.api.Reachability;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.Transport;
import org.medida.simulator.cli.InventoryFile;

class InventoryTest {

    private static final String KEY = "000102030405060708090a0b0c0d0e0f";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private MetersImport importer(Path file, SqliteMeterInventory inventory) {
        return new MetersImport(file, inventory, Clock.fixed(T0, ZoneOffset.UTC));
    }

    @Test
    void aMetersFileIsImportedLineByLineAndBadLinesAreReportedWithTheirNumber() throws Exception {
        Path file = dir.resolve("meters.csv");
        Files.write(file, List.of(
                "# gateway 7",
                MetersFile.HEADER,
                "M1,WRAPPER,10.0.0.1,4059,1,16,,HLS5_GMAC,," + KEY + "," + KEY + ",",
                "M2,HDLC,10.0.0.2,4061,2,17,plc-a,LLS,3132333435363738,,,REGISTERED",
                "M3,SERIAL,/dev/ttyUSB0,,1,16,,NONE,,,,COMMISSIONED",
                "M4,WRAPPER,10.0.0.4,4059,1,16,,HLS5_GMAC,,00ff," + KEY + ",",
                "M5,RADIO,10.0.0.5,4059,1,16,,NONE,,,,",
                "M6,WRAPPER,10.0.0.6,port,1,16,,NONE,,,,",
                "M7,WRAPPER,10.0.0.7,4059,1,16,,NONE,,,",
                ",WRAPPER,10.0.0.8,4059,1,16,,NONE,,,,",
                "M9,WRAPPER,10.0.0.9,4059,1,16,,HLS5_GMAC,,zz," + KEY + ",",
                "M10,WRAPPER,10.0.0.10,4059,1,16,,NONE,,,,RETIRED",
                "",
                "M11,WRAPPER,10.0.0.11,99999,1,16,,NONE,,,,"));
        try (SqliteMeterInventory inventory = SqliteMeterInventory.open(dir.resolve("inventory.db"))) {
            MetersImport.Result result = importer(file, inventory).importIfChanged();

            assertEquals(3, result.imported());
            assertEquals(8, result.problems().size(), String.join("\n", result.problems()));
            List<String> lines = result.problems().stream().map(p -> p.substring(0, p.indexOf(':'))).toList();
            assertEquals(List.of("line 6", "line 7", "line 8", "line 9", "line 10", "line 11", "line 12", "line 14"),
                    lines);
            assertTrue(result.problems().get(0).contains("16-byte encryption key"), result.problems().get(0));
            assertFalse(String.join(" ", result.problems()).contains(KEY), "secrets are not repeated");

            assertEquals(List.of("M1", "M2", "M3"), inventory.meters().stream().map(InventoryMeter::serial).toList());
            InventoryMeter m1 = inventory.meter("M1").orElseThrow();
            assertEquals(new MeterRef("M1", new MeterLink.TcpWrapper("10.0.0.1", 4059, 1, null),
                    MeterSecurity.hls5Gmac(bytes(KEY), bytes(KEY))), m1.meter());
            assertEquals(MeterState.COMMISSIONED, m1.state());
            assertEquals(T0, m1.stateSince());
            assertEquals(Reachability.UNKNOWN, m1.reachability());
            InventoryMeter m2 = inventory.meter("M2").orElseThrow();
            assertEquals(new MeterLink.TcpHdlc("10.0.0.2", 4061, 17, 2, "plc-a"), m2.meter().link());
            assertEquals(MeterSecurity.lowLevel("12345678".getBytes()), m2.meter().security());
            assertEquals(MeterState.REGISTERED, m2.state());
            assertEquals(new MeterLink.SerialModeE("/dev/ttyUSB0", "", 16, 1),
                    inventory.meter("M3").orElseThrow().meter().link());
        }
    }

    @Test
    void aFileWithoutTheHeaderImportsNothing() throws Exception {
        Path file = dir.resolve("meters.csv");
        Files.write(file, List.of("M1,WRAPPER,10.0.0.1,4059,1,16,,NONE,,,,"));
        try (SqliteMeterInventory inventory = SqliteMeterInventory.open(dir.resolve("inventory.db"))) {
            MetersImport.Result result = importer(file, inventory).importIfChanged();
            assertEquals(0, result.imported());
            assertTrue(result.problems().get(0).startsWith("line 1: expected the header"), result.problems().get(0));
            assertTrue(inventory.meters().isEmpty());
        }
    }

    @Test
    void aChangedFileUpdatesLinksAndStatesAndKeepsMarksAndReachability() throws Exception {
        Path file = dir.resolve("meters.csv");
        Files.write(file, List.of(MetersFile.HEADER, "M1,WRAPPER,10.0.0.1,4059,1,16,,NONE,,,,"));
        try (SqliteMeterInventory inventory = SqliteMeterInventory.open(dir.resolve("inventory.db"))) {
            MetersImport metersImport = importer(file, inventory);
            metersImport.importIfChanged();
            Instant mark = Instant.parse("2026-03-01T09:45:00Z");
            inventory.moveHighWaterMark("M1", "1.0.99.1.0.255", mark);
            inventory.recordSuccess("M1", T0);

            assertEquals(0, metersImport.importIfChanged().imported(), "unchanged: not imported again");
            Files.write(file, List.of(MetersFile.HEADER, "M1,WRAPPER,10.0.0.99,4059,1,16,,NONE,,,,DECOMMISSIONED"));
            Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(60)));
            assertEquals(1, metersImport.importIfChanged().imported());

            InventoryMeter m1 = inventory.meter("M1").orElseThrow();
            assertEquals("10.0.0.99", ((MeterLink.TcpWrapper) m1.meter().link()).host());
            assertEquals(MeterState.DECOMMISSIONED, m1.state());
            assertEquals(mark, m1.highWaterMark("1.0.99.1.0.255").orElseThrow());
            assertEquals(T0, m1.reachability().lastSuccess());
        }
    }

    @Test
    void everythingSurvivesAReopenAndUpdatesOfUnknownMetersAreRefused() {
        Path database = dir.resolve("inventory.db");
        MeterRef meter = new MeterRef("M1", new MeterLink.TcpHdlc("127.0.0.1", 4059), MeterSecurity.publicClient());
        try (SqliteMeterInventory inventory = SqliteMeterInventory.open(database)) {
            inventory.register(meter, MeterState.REGISTERED, T0);
            inventory.changeState("M1", MeterState.COMMISSIONED, T0.plusSeconds(10));
            inventory.recordSuccess("M1", T0.plusSeconds(20));
            inventory.recordFailure("M1", T0.plusSeconds(30), new Failure(FailureKind.TIMEOUT, "no answer"));
            inventory.recordFailure("M1", T0.plusSeconds(40), new Failure(FailureKind.UNREACHABLE, "refused"));
            inventory.moveHighWaterMark("M1", "0.0.98.2.0.255", T0);
            assertThrows(IllegalArgumentException.class, () -> inventory.recordSuccess("M9", T0));
            assertThrows(IllegalArgumentException.class, () -> inventory.moveHighWaterMark("M9", "x", T0));
            assertThrows(IllegalArgumentException.class, () -> inventory.changeState("M9", MeterState.REGISTERED, T0));
        }
        try (SqliteMeterInventory inventory = SqliteMeterInventory.open(database)) {
            InventoryMeter m1 = inventory.meter("M1").orElseThrow();
            assertEquals(meter, m1.meter());
            assertEquals(MeterState.COMMISSIONED, m1.state());
            assertEquals(T0.plusSeconds(10), m1.stateSince());
            assertEquals(new Reachability(T0.plusSeconds(20), T0.plusSeconds(40),
                    new Failure(FailureKind.UNREACHABLE, "refused"), 2), m1.reachability());
            assertFalse(m1.reachability().reachable());
            assertEquals(T0, m1.highWaterMark("0.0.98.2.0.255").orElseThrow());
            inventory.recordSuccess("M1", T0.plusSeconds(50));
            assertTrue(inventory.meter("M1").orElseThrow().reachability().reachable());
        }
    }

    @Test
    void theSimulatorsMetersFileDescribesItsFleet() throws Exception {
        Path file = dir.resolve("fleet.csv");
        try (MeterFleet fleet = MeterFleet.start(FleetConfig.builder().meters(3).metersPerPort(2).basePort(0)
                .transport(Transport.HDLC).build());
                SqliteMeterInventory inventory = SqliteMeterInventory.open(dir.resolve("inventory.db"))) {
            InventoryFile.write(fleet.meters(), file);
            MetersImport.Result result = importer(file, inventory).importIfChanged();
            assertEquals(3, result.imported(), String.join("\n", result.problems()));
            for (SimulatedMeter meter : fleet.meters()) {
                MeterRef ref = inventory.meter(meter.serial()).orElseThrow().meter();
                assertEquals(new MeterLink.TcpHdlc("127.0.0.1", meter.port(), meter.physicalAddress(),
                        meter.logicalDevice(), null), ref.link());
                assertEquals(MeterSecurity.hls5Gmac(meter.keys().encryptionKey(), meter.keys().authenticationKey()),
                        ref.security());
            }
        }
    }

    private static byte[] bytes(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}

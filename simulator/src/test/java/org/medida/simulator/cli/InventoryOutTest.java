package org.medida.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.simulator.MeterKeys;

/** {@code --inventory-out}: the running fleet as a gateway meters file, written before the fleet is announced. */
class InventoryOutTest {

    @Test
    void writesEveryMeterWithItsPortAndKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("meters.csv");
        Process simulator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), SimulatorMain.class.getName(),
                "--meters", "2", "--transport", "HDLC", "--base-port", "0", "--key-seed", "inventory-test",
                "--inventory-out", file.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(simulator.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> printed = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null && !line.contains("meters running")) {
                printed.add(line);
            }
            List<String> rows = Files.readAllLines(file).stream().filter(l -> !l.startsWith("#")).toList();
            assertEquals(InventoryFile.HEADER, rows.get(0));
            assertEquals(3, rows.size(), String.join("\n", rows));
            for (int i = 0; i < 2; i++) {
                String[] meter = printed.get(i).split(" ");
                String[] fields = rows.get(i + 1).split(",", -1);
                MeterKeys keys = MeterKeys.derive("inventory-test", meter[0]);
                assertEquals(meter[0], fields[0]);
                assertEquals("HDLC", fields[1]);
                assertEquals(meter[2], "port=" + fields[3]);
                assertEquals(HexFormat.of().formatHex(keys.encryptionKey()), fields[9]);
                assertEquals(HexFormat.of().formatHex(keys.authenticationKey()), fields[10]);
                assertEquals("COMMISSIONED", fields[11]);
            }
        } finally {
            simulator.destroy();
            assertTrue(simulator.waitFor(20, TimeUnit.SECONDS));
        }
    }
}

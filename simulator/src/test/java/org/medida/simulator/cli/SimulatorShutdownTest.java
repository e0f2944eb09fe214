package org.medida.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented command, stopped the way an operator or a test script stops it: SIGTERM leaves nothing behind. */
class SimulatorShutdownTest {

    @Test
    void sigtermStopsTheSerialLinesAndRemovesTheirLinks(@TempDir Path ptyDir) throws Exception {
        Process simulator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), SimulatorMain.class.getName(),
                "--meters", "3", "--transport", "SERIAL", "--base-port", "0", "--pty-dir", ptyDir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(simulator.getInputStream(), StandardCharsets.UTF_8))) {
            // the last line announces a running fleet
            String line;
            while ((line = out.readLine()) != null && !line.contains("meters running")) {
                // meter lines
            }
            List<ProcessHandle> socats = simulator.toHandle().descendants().toList();
            assertEquals(3, socats.size(), "one socat per serial meter");
            try (var links = Files.list(ptyDir)) {
                assertFalse(links.toList().isEmpty(), "pty links exist while running");
            }

            simulator.destroy(); // SIGTERM on Linux
            assertTrue(simulator.waitFor(20, TimeUnit.SECONDS), "the simulator stops on SIGTERM");
            assertTrue(socats.stream().noneMatch(ProcessHandle::isAlive), "no socat outlives the simulator");
            try (var links = Files.list(ptyDir)) {
                assertEquals(List.of(), links.toList(), "pty links are removed");
            }
        } finally {
            simulator.destroyForcibly();
        }
    }
}

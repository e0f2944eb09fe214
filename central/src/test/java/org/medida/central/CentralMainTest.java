package org.medida.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.protocol.BatchAck;
import org.medida.testing.FreePorts;

/** The command line as its own process: starts, ingests, and stops cleanly on SIGTERM. */
class CentralMainTest {

    @TempDir
    Path dir;

    @Test
    void runsUntilSigtermThenStopsCleanly() throws Exception {
        Path database = dir.resolve("central.db");
        Path log = dir.resolve("central.log");
        int brokerPort = FreePorts.next();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process central = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CentralMain.class.getName(), "--db", TestDatabases.where(database), "--state-dir", dir.toString(),
                "--embedded-broker-port", Integer.toString(brokerPort), "--http-port", Integer.toString(FreePorts.next()),
                "--gateway", "gw-1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            CentralFixture.await("central running", () -> contains(log, "Central running"));
            try (TestGateway gateway = TestGateway.connect("tcp://127.0.0.1:" + brokerPort, "gw-1")) {
                gateway.send(SampleBatches.billing(1, "M1"));
                assertEquals(BatchAck.committed(1), gateway.awaitAck());
            }
            central.destroy();
            assertTrue(central.waitFor(30, TimeUnit.SECONDS), "central did not stop on SIGTERM");
            assertEquals(143, central.exitValue());
            assertTrue(contains(log, "Stopping central"));
        } finally {
            central.destroyForcibly().waitFor();
        }
        assertEquals(4, CentralFixture.number(database, "SELECT COUNT(*) FROM readings"));
        if (!TestDatabases.postgres()) {
            assertTrue(Files.notExists(Path.of(database + "-wal")) || Files.size(Path.of(database + "-wal")) == 0,
                    "closed cleanly: the WAL was checkpointed");
        }
    }

    @Test
    void refusesAnInvalidCommandLine() throws Exception {
        assertTrue(refused("--db", dir.resolve("x.db").toString()).contains("--broker"),
                "usage names the missing choice");
        assertTrue(refused("--db", dir.resolve("x.db").toString(), "--broker", "tcp://127.0.0.1:1",
                "--meter-buffer-days", "0").contains("--meter-buffer-days must be at least 1, not 0"));
    }

    /** Runs central with {@code arguments}, expects exit code 2 (invalid input) at once, returns what it printed. */
    private String refused(String... arguments) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                CentralMain.class.getName()));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Process central = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(central.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, central.exitValue(), Files.readString(out));
        return Files.readString(out);
    }

    private static boolean contains(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

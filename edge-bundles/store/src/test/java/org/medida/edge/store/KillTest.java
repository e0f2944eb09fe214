package org.medida.edge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.Batch;
import org.medida.edge.api.BatchLimits;
import org.medida.edge.api.Interval;

/** A process appending in a loop is killed with SIGKILL: the store keeps every append that returned, whole. */
class KillTest {

    private static final int ACKNOWLEDGED_BEFORE_KILL = 150;

    @TempDir
    Path directory;

    @Test
    void everyAppendThatReturnedSurvivesKillMinus9AndNoneIsHalfStored() throws Exception {
        Path database = directory.resolve("store.db");
        Process writer = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), AppendingProcess.class.getName(), database.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int acknowledged = -1;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII))) {
            while (acknowledged + 1 < ACKNOWLEDGED_BEFORE_KILL) {
                String line = out.readLine();
                assertTrue(line != null, "the writer died on its own");
                acknowledged = Integer.parseInt(line);
            }
            // SIGKILL on Linux: no shutdown hook, no close, likely mid-transaction. Through the handle, because
            // Process.destroyForcibly() would also close our end of its output, which still holds acknowledgements
            writer.toHandle().destroyForcibly();
            assertTrue(writer.waitFor(10, TimeUnit.SECONDS));
            // appends that returned after the last line we read count too: drain what the pipe still holds
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                acknowledged = Integer.parseInt(line);
            }
        }

        assertEquals("ok", integrityCheck(database));
        Set<Instant> stored = new HashSet<>();
        try (SqliteReadingStore store = SqliteReadingStore.open(new StoreSettings(database, 64L * 1024 * 1024))) {
            for (Optional<Batch> batch = store.nextBatch(new BatchLimits(10_000)); batch.isPresent();
                    batch = store.nextBatch(new BatchLimits(10_000))) {
                ((Batch.Intervals) batch.get()).blocks().forEach(
                        block -> block.intervals().stream().map(Interval::end).forEach(stored::add));
            }
        }
        int appends = stored.size() / AppendingProcess.ENTRIES_PER_APPEND;
        assertEquals(0, stored.size() % AppendingProcess.ENTRIES_PER_APPEND, "an append was stored in part");
        assertTrue(appends == acknowledged + 1 || appends == acknowledged + 2,
                appends + " appends stored, " + (acknowledged + 1) + " returned before the kill");
        for (int append = 0; append < appends; append++) {
            assertTrue(stored.contains(AppendingProcess.firstEnd(append)), "append " + append + " is missing");
        }
    }

    private static String integrityCheck(Path database) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA integrity_check")) {
            row.next();
            return row.getString(1);
        }
    }
}

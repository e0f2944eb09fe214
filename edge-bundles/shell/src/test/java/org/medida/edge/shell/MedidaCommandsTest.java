package org.medida.edge.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.Failure;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.MeterState;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.Priority;
import org.medida.edge.api.ProfileChannel;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.edge.inventory.SqliteMeterInventory;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.edge.store.StoreSettings;

/**
 * The commands over a real inventory and store. The on-demand side is the collector's (tested with real meters in
 * its own module and in Felix); here it answers what a collector would, and records the tasks it was given.
 */
class MedidaCommandsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void listsTheMetersWithStateLinkReachabilityAndMarks() {
        try (SqliteMeterInventory inventory = SqliteMeterInventory.open(dir.resolve("inventory.db"));
                SqliteReadingStore store = SqliteReadingStore.open(new StoreSettings(dir.resolve("store.db"),
                        1024 * 1024))) {
            inventory.register(new MeterRef("M1", new MeterLink.TcpHdlc("10.0.0.1", 4059),
                    MeterSecurity.publicClient()), MeterState.COMMISSIONED, NOW);
            inventory.register(new MeterRef("M2", new MeterLink.TcpWrapper("10.0.0.2", 4059),
                    MeterSecurity.publicClient()), MeterState.REGISTERED, NOW);
            inventory.recordSuccess("M1", NOW);
            inventory.recordFailure("M1", NOW.plusSeconds(900), new Failure(FailureKind.TIMEOUT, "no answer"));
            inventory.moveHighWaterMark("M1", "1.0.99.1.0.255", NOW.minusSeconds(900));
            MedidaCommands commands = new MedidaCommands(inventory, task -> null, store,
                    Clock.fixed(NOW, ZoneOffset.UTC));

            String[] lines = commands.meters().split(System.lineSeparator());
            assertEquals(3, lines.length);
            assertTrue(lines[1].startsWith("M1 ") && lines[1].contains("COMMISSIONED")
                    && lines[1].contains("hdlc 10.0.0.1:4059/16/1") && lines[1].contains(" no ")
                    && lines[1].contains("TIMEOUT (1x) no answer")
                    && lines[1].contains("1.0.99.1.0.255=2026-03-01T09:45:00Z"), lines[1]);
            assertTrue(lines[2].startsWith("M2 ") && lines[2].contains("REGISTERED") && lines[2].contains(" ? "),
                    lines[2]);
        }
    }

    @Test
    void readsAMeterOnDemandAtHighPriorityAndPrintsTheOutcome() throws Exception {
        List<MeterTask> tasks = new CopyOnWriteArrayList<>();
        OnDemandWork collector = task -> {
            tasks.add(task);
            return CompletableFuture.completedFuture(new TaskOutcome(task.correlationId(), task.serial(),
                    TaskStatus.EXE, "", NOW, List.of(new RegisterReading("1.0.1.8.0.255", new BigDecimal("1234"),
                            "Wh", null, NOW)), null));
        };
        MedidaCommands commands = new MedidaCommands(null, collector, null, Clock.fixed(NOW, ZoneOffset.UTC));

        String printed = commands.read("M1");
        assertTrue(printed.contains("M1 EXE") && printed.contains("1.0.1.8.0.255") && printed.contains("1234 Wh"),
                printed);
        MeterTask task = tasks.get(0);
        assertEquals(TaskKind.READ_REGISTERS, task.kind());
        assertEquals(Priority.HIGH, task.priority());
        assertEquals(NOW.plus(MedidaCommands.READ_TIMEOUT), task.expiresAt());

        commands.read("M1", "sync_clock");
        assertEquals(TaskKind.SYNC_CLOCK, tasks.get(1).kind());
        String unknownKind = commands.read("M1", "explode");
        assertTrue(unknownKind.startsWith("unknown kind explode"), unknownKind);
        assertEquals(2, tasks.size());
    }

    @Test
    void showsTheStoresBacklog() {
        try (SqliteReadingStore store = SqliteReadingStore.open(new StoreSettings(dir.resolve("store.db"),
                1024 * 1024))) {
            store.appendIntervals(new IntervalBlock("M1", "1.0.99.1.0.255", Duration.ofMinutes(15),
                    List.of(new ProfileChannel("1.0.1.8.0.255", "Wh")),
                    List.of(new Interval(NOW, 0, List.of(BigDecimal.TEN)),
                            new Interval(NOW.plusSeconds(900), 0, List.of(BigDecimal.ONE)))));
            String backlog = new MedidaCommands(null, task -> null, store, Clock.systemUTC()).backlog();
            assertTrue(backlog.contains("INTERVALS  2"), backlog);
            assertTrue(backlog.contains("EVENTS     0"), backlog);
            assertTrue(backlog.contains("open batches 0"), backlog);
        }
    }
}

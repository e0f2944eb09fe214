package org.medida.edge.collector;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.medida.edge.api.Batch;
import org.medida.edge.api.BatchLimits;
import org.medida.edge.api.ClockReading;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.MeterState;
import org.medida.edge.api.ProfileGap;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.dlms.DlmsMeterDriver;
import org.medida.edge.dlms.DriverSettings;
import org.medida.edge.inventory.SqliteMeterInventory;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.edge.store.StoreSettings;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.SimulatedMeter;

/**
 * A gateway around a simulated fleet, all real: the DLMS driver over TCP, the SQLite reading store and the SQLite
 * inventory with every meter commissioned (HLS5-GMAC), and the collector. Closing stops everything.
 */
final class Gateway implements AutoCloseable {

    final MeterFleet fleet;
    final Path dir;
    final DlmsMeterDriver driver;
    final SqliteReadingStore store;
    final CollectorSettings settings;
    final List<ClockReading> alarms = new CopyOnWriteArrayList<>();
    SqliteMeterInventory inventory;
    Collector collector;

    private Gateway(MeterFleet fleet, Path dir, CollectorSettings settings, long storeBytes) {
        this.fleet = fleet;
        this.dir = dir;
        this.settings = settings;
        this.driver = new DlmsMeterDriver(DriverSettings.defaults(dir.resolve("driver"))
                .withRequestTimeout(Duration.ofSeconds(5)).withRetries(1, Duration.ofMillis(100)));
        this.store = SqliteReadingStore.open(new StoreSettings(dir.resolve("store.db"), storeBytes));
        openInventoryAndCollector();
        for (SimulatedMeter meter : fleet.meters()) {
            inventory.register(refOf(meter), MeterState.COMMISSIONED, Instant.now());
        }
    }

    static Gateway start(Path dir, FleetConfig.Builder fleet, CollectorSettings settings) throws IOException {
        return start(dir, fleet, settings, 64L * 1024 * 1024);
    }

    static Gateway start(Path dir, FleetConfig.Builder fleet, CollectorSettings settings, long storeBytes)
            throws IOException {
        return new Gateway(MeterFleet.start(fleet.basePort(0).build()), dir, settings, storeBytes);
    }

    static MeterRef refOf(SimulatedMeter meter) {
        MeterLink link = switch (meter.transport()) {
            case HDLC -> new MeterLink.TcpHdlc("127.0.0.1", meter.port(), meter.physicalAddress(),
                    meter.logicalDevice(), null);
            default -> new MeterLink.TcpWrapper("127.0.0.1", meter.port(), meter.logicalDevice(), null);
        };
        return new MeterRef(meter.serial(), link,
                MeterSecurity.hls5Gmac(meter.keys().encryptionKey(), meter.keys().authenticationKey()));
    }

    private void openInventoryAndCollector() {
        inventory = SqliteMeterInventory.open(dir.resolve("inventory.db"));
        collector = new Collector(driver, store, inventory, settings, Clock.systemUTC(),
                (serial, reading) -> alarms.add(reading));
    }

    /** Stops collector and inventory and opens them again on the same files, as after a gateway restart. */
    void restartCollector() {
        collector.close();
        inventory.close();
        openInventoryAndCollector();
    }

    SimulatedMeter meter(int index) {
        return fleet.meters().get(index);
    }

    /** Runs a job on a meter now and waits for it; whether it completed. */
    boolean run(Job job, String serial) throws Exception {
        return collector.runNow(job, serial).toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    Optional<Instant> mark(String serial, String profile) {
        return inventory.meter(serial).orElseThrow().highWaterMark(profile);
    }

    /** What the store handed out, every batch confirmed as if central had committed it. */
    record Drained(List<IntervalBlock> intervals, List<RegisterReading> registers, List<MeterEvent> events,
            List<ProfileGap> gaps) {
        boolean isEmpty() {
            return intervals.isEmpty() && registers.isEmpty() && events.isEmpty() && gaps.isEmpty();
        }

        long entries() {
            return intervals.stream().mapToLong(b -> b.intervals().size()).sum();
        }
    }

    Drained drain() {
        Drained drained = new Drained(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Optional<Batch> next = store.nextBatch(new BatchLimits(100_000)); next.isPresent();
                next = store.nextBatch(new BatchLimits(100_000))) {
            Batch batch = next.get();
            if (batch instanceof Batch.Intervals intervals) {
                drained.intervals().addAll(intervals.blocks());
            } else if (batch instanceof Batch.Registers registers) {
                drained.registers().addAll(registers.readings());
            } else if (batch instanceof Batch.Events events) {
                drained.events().addAll(events.events());
            } else if (batch instanceof Batch.Gaps gaps) {
                drained.gaps().addAll(gaps.gaps());
            }
            store.confirm(batch.id());
        }
        return drained;
    }

    @Override
    public void close() {
        collector.close();
        inventory.close();
        driver.close();
        store.close();
        fleet.close();
    }
}

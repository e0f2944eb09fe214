package org.medida.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.MeterConversation;
import org.medida.edge.api.MeterDriver;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.MeterState;
import org.medida.edge.api.Priority;
import org.medida.edge.collector.Collector;
import org.medida.edge.collector.CollectorSettings;
import org.medida.edge.dlms.DlmsMeterDriver;
import org.medida.edge.dlms.DriverSettings;
import org.medida.edge.inventory.SqliteMeterInventory;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.edge.store.StoreSettings;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.LinkEmulation;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.Transport;

/**
 * B3: one collection cycle of the real collector and driver (plain Java, in process) over emulated PLC channels,
 * against the link-bound minimum. The fleet speaks HDLC over TCP with a fixed latency before every response APDU
 * (no jitter, no loss); the meters of one port share it as one PLC channel, so the driver talks to them one after
 * the other, and channels run in parallel. Every job is due when the collector starts (profile backfill, daily
 * billing, event logs, clock check): the cycle ends when the last conversation of it has ended.
 * <p>
 * The minimum: each channel can do no better than its meters' response APDUs (counted by the simulator) times the
 * latency, one after the other; channels overlap, so the cycle's minimum is the busiest channel's.
 * <p>
 * {@code CollectionCycleBenchmark [channels] [meters per channel] [latency ms]}, default 4 10 60.
 */
public final class CollectionCycleBenchmark {

    /** No conversation for this long after the first ones means the cycle is over. */
    private static final Duration QUIET = Duration.ofSeconds(5);

    private CollectionCycleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int channels = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int perChannel = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Duration latency = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 60);
        Path dir = Files.createTempDirectory("medida-bench-b3");
        try (MeterFleet fleet = MeterFleet.start(FleetConfig.builder().meters(channels * perChannel).basePort(0)
                .metersPerPort(perChannel).transport(Transport.HDLC)
                .link(LinkEmulation.NONE.withLatency(latency, Duration.ZERO)).build());
                DlmsMeterDriver dlms = new DlmsMeterDriver(DriverSettings.defaults(dir.resolve("driver")));
                SqliteReadingStore store = SqliteReadingStore.open(new StoreSettings(dir.resolve("store.db"),
                        256L * 1024 * 1024));
                SqliteMeterInventory inventory = SqliteMeterInventory.open(dir.resolve("inventory.db"))) {
            for (SimulatedMeter meter : fleet.meters()) {
                inventory.register(new MeterRef(meter.serial(), new MeterLink.TcpHdlc("127.0.0.1", meter.port(),
                        meter.physicalAddress(), meter.logicalDevice(), null), MeterSecurity.hls5Gmac(
                        meter.keys().encryptionKey(), meter.keys().authenticationKey())), MeterState.COMMISSIONED,
                        Instant.now());
            }
            CountingDriver driver = new CountingDriver(dlms);
            CollectorSettings settings = CollectorSettings.defaults();
            long started = System.nanoTime();
            try (Collector collector = new Collector(driver, store, inventory, settings, Clock.systemUTC(),
                    (serial, reading) -> { })) {
                collector.start();
                driver.awaitQuiet(QUIET);
            }
            double cycle = (driver.lastEnd() - started) / 1e9;
            Map<Integer, Long> responsesPerChannel = fleet.meters().stream()
                    .collect(Collectors.groupingBy(SimulatedMeter::port, Collectors.summingLong(SimulatedMeter::responses)));
            long busiest = responsesPerChannel.values().stream().max(Comparator.naturalOrder()).orElseThrow();
            long total = responsesPerChannel.values().stream().mapToLong(Long::longValue).sum();
            double minimum = busiest * latency.toMillis() / 1000.0;
            System.out.printf(Locale.ROOT, "%d channels x %d meters, %d ms per response, %d parallel meters, "
                    + "%d parallel channels: %d conversations (%d failed), %d response APDUs (busiest channel %d, "
                    + "per channel %s)%n", channels, perChannel, latency.toMillis(), settings.parallelMeters(),
                    DriverSettings.defaults(dir).parallelChannels(), driver.conversations(), driver.failures(), total,
                    busiest, responsesPerChannel.values());
            System.out.println();
            System.out.println("| ID | value | unit | baseline | ratio | command | date |");
            System.out.println("|---|---|---|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| B3 | %.1f | s per collection cycle, %d meters on %d HDLC channels, "
                    + "%d ms/response | %.1f s link-bound minimum (%d responses × %d ms, busiest channel) | %.2f× "
                    + "| `bash benchmarks/run b3` | %s |%n", cycle, channels * perChannel, channels,
                    latency.toMillis(), minimum, busiest, latency.toMillis(), cycle / minimum, LocalDate.now());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The real driver, watched: how many conversations are running, and when the last one ended. */
    private static final class CountingDriver implements MeterDriver {
        private final MeterDriver driver;
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger conversations = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicLong lastEnd = new AtomicLong(System.nanoTime());

        CountingDriver(MeterDriver driver) {
            this.driver = driver;
        }

        @Override
        public <T> CompletionStage<DriverResult<T>> submit(MeterRef meter, Priority priority,
                MeterConversation<T> conversation) {
            running.incrementAndGet();
            return driver.submit(meter, priority, conversation).whenComplete((result, error) -> {
                conversations.incrementAndGet();
                if (error != null || !result.isSuccess()) {
                    failures.incrementAndGet();
                }
                lastEnd.set(System.nanoTime());
                running.decrementAndGet();
            });
        }

        void awaitQuiet(Duration quiet) throws InterruptedException {
            while (conversations.get() == 0 || running.get() > 0
                    || System.nanoTime() - lastEnd.get() < quiet.toNanos()) {
                Thread.sleep(100);
            }
        }

        long lastEnd() {
            return lastEnd.get();
        }

        int conversations() {
            return conversations.get();
        }

        int failures() {
            return failures.get();
        }
    }
}

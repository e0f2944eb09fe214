package org.medida.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.medida.central.db.Database;
import org.medida.central.gateways.Gateways;
import org.medida.central.ingest.IngestService;
import org.medida.central.ingest.MqttSettings;
import org.medida.central.web.HttpView;
import org.medida.central.web.Operator;
import org.medida.central.web.Role;
import org.medida.central.workorders.CommandKeys;
import org.medida.central.workorders.OrderState;
import org.medida.central.workorders.WorkOrder;
import org.medida.central.workorders.WorkOrderRoutes;
import org.medida.central.workorders.WorkOrderService;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.MeterState;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.Priority;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.edge.collector.Collector;
import org.medida.edge.collector.CollectorSettings;
import org.medida.edge.dlms.DlmsMeterDriver;
import org.medida.edge.dlms.DriverSettings;
import org.medida.edge.inventory.SqliteMeterInventory;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.edge.store.StoreSettings;
import org.medida.edge.uplink.MqttUplink;
import org.medida.edge.uplink.UplinkSettings;
import org.medida.protocol.CommandVerifier;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.LinkEmulation;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.Transport;
import org.medida.testing.MosquittoBroker;

/**
 * B8: what an on-demand read costs beyond the meter link. Simulated meters (HDLC over TCP, one per port, a fixed
 * latency before every response, no jitter or loss) behind the real collector and driver (plain Java) and the real
 * uplink with its signature check, a real Mosquitto, and central's real ingest, work-order service and HTTP API,
 * all in this process. Each order is {@code POST /api/workorders} READ_REGISTERS, timed until its completion
 * listener sees it EXE. Baseline in the same run, interleaved with the orders: the same read handed to the
 * collector directly (link time plus DLMS). Overhead = order time − the median direct read. Orders run one at a
 * time, so no queueing is counted.
 * <p>
 * {@code OnDemandReadBenchmark [orders] [latency ms] [meters]}, default 200 20 10.
 */
public final class OnDemandReadBenchmark {

    private static final String GATEWAY = "bench-b8";
    private static final Pattern CORRELATION_ID = Pattern.compile("\"correlationId\"\\s*:\\s*\"([^\"]+)\"");

    private OnDemandReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Duration latency = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 20);
        int meters = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path dir = Files.createTempDirectory("medida-bench-b8");
        Map<String, CompletableFuture<WorkOrder>> completions = new ConcurrentHashMap<>();
        try (MeterFleet fleet = MeterFleet.start(FleetConfig.builder().meters(meters).basePort(0).metersPerPort(1)
                .transport(Transport.HDLC).link(LinkEmulation.NONE.withLatency(latency, Duration.ZERO)).build());
                DlmsMeterDriver dlms = new DlmsMeterDriver(DriverSettings.defaults(dir.resolve("driver")));
                SqliteReadingStore store = SqliteReadingStore.open(new StoreSettings(dir.resolve("store.db"),
                        256L * 1024 * 1024));
                SqliteMeterInventory inventory = SqliteMeterInventory.open(dir.resolve("inventory.db"));
                MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"))) {
            Path file = dir.resolve("central.db");
            Database database = Database.openSqlite(file);
            Gateways gateways = Gateways.load(database);
            gateways.register(database, List.of(GATEWAY), Instant.now());
            CommandKeys keys = CommandKeys.nextTo(file);
            for (SimulatedMeter meter : fleet.meters()) {
                inventory.register(new MeterRef(meter.serial(), new MeterLink.TcpHdlc("127.0.0.1", meter.port(),
                        meter.physicalAddress(), meter.logicalDevice(), null), MeterSecurity.hls5Gmac(
                        meter.keys().encryptionKey(), meter.keys().authenticationKey())), MeterState.COMMISSIONED,
                        Instant.now());
                commission(database, meter.serial());
            }
            try (Collector collector = new Collector(dlms, store, inventory, CollectorSettings.defaults(),
                    Clock.systemUTC(), (serial, reading) -> { });
                    IngestService ingest = IngestService.create(database, gateways, new MqttSettings(broker.url(),
                            "central-b8", null, null), Clock.systemUTC());
                    WorkOrderService service = new WorkOrderService(database, ingest::publish, null, keys.signer(),
                            WorkOrderService.RESPONSE_TIMEOUT, Clock.systemUTC());
                    MqttUplink uplink = new MqttUplink(UplinkSettings.defaults(broker.url(), GATEWAY,
                            dir.resolve("uplink")), store, () -> Optional.of(collector),
                            Optional.of(CommandVerifier.ofBase64(keys.publicKeyBase64())))) {
                service.onCompletion(order -> completions.computeIfAbsent(order.correlationId(),
                        id -> new CompletableFuture<>()).complete(order));
                ingest.addListener(service);
                ingest.connect();
                // Stands in for the operators' login (the web feature's): a technician is logged in.
                HttpView http = HttpView.start(database, "127.0.0.1", 0, List.of(
                        routes -> routes.before(ctx -> ctx.attribute("medida.operator",
                                new Operator("bench", Role.TECHNICAL))),
                        new WorkOrderRoutes(service, database, Clock.systemUTC())));
                try {
                    awaitOnline(uplink);
                    run(fleet, collector, http.port(), completions, orders, latency);
                } finally {
                    http.close();
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(MeterFleet fleet, Collector collector, int httpPort,
            Map<String, CompletableFuture<WorkOrder>> completions, int orders, Duration latency) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<SimulatedMeter> meters = fleet.meters();
        List<Double> direct = new ArrayList<>();
        List<Double> ordered = new ArrayList<>();
        // Warm-up: associations, JIT, the first signature
        for (int i = 0; i < 10; i++) {
            directRead(collector, meters.get(i % meters.size()).serial());
            order(client, httpPort, completions, meters.get(i % meters.size()).serial());
        }
        for (int i = 0; i < orders; i++) {
            String serial = meters.get(i % meters.size()).serial();
            direct.add(directRead(collector, serial));
            ordered.add(order(client, httpPort, completions, serial));
        }
        double baseline = percentile(direct, 50);
        List<Double> overhead = ordered.stream().map(t -> t - baseline).toList();
        System.out.printf(Locale.ROOT, "%d READ_REGISTERS orders, %d ms per response: direct read P50 %.1f ms "
                + "P95 %.1f ms; order P50 %.1f ms P95 %.1f ms; overhead P50 %.1f ms P95 %.1f ms max %.1f ms%n",
                orders, latency.toMillis(), baseline, percentile(direct, 95), percentile(ordered, 50),
                percentile(ordered, 95), percentile(overhead, 50), percentile(overhead, 95),
                overhead.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        System.out.println();
        System.out.println("| ID | value | unit | baseline | ratio | command | date |");
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| B8 | %.1f | ms P95 on-demand read overhead, POST /api/workorders → "
                + "signed MQTT request → edge → meter → outcome → EXE at central (%d orders, %d ms/response; "
                + "target ≤ 50) | %.1f ms (P50 direct read, same meters, same run) | %.2f× | `bash benchmarks/run b8` "
                + "| %s |%n", percentile(overhead, 95), orders, latency.toMillis(), baseline,
                percentile(overhead, 95) / baseline, LocalDate.now());
    }

    private static double directRead(Collector collector, String serial) throws Exception {
        long started = System.nanoTime();
        TaskOutcome outcome = collector.submit(new MeterTask(UUID.randomUUID().toString(), serial,
                TaskKind.READ_REGISTERS, 0, Priority.HIGH, Instant.now().plusSeconds(60)))
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (outcome.status() != TaskStatus.EXE) {
            throw new IllegalStateException("direct read of " + serial + ": " + outcome.status() + " "
                    + outcome.detail());
        }
        return (System.nanoTime() - started) / 1e6;
    }

    private static double order(HttpClient client, int port, Map<String, CompletableFuture<WorkOrder>> completions,
            String serial) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/workorders")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                .ofString("{\"serial\": \"" + serial + "\", \"kind\": \"READ_REGISTERS\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher id = CORRELATION_ID.matcher(response.body());
        if (response.statusCode() != 201 || !id.find()) {
            throw new IllegalStateException("POST /api/workorders: " + response.statusCode() + " " + response.body());
        }
        WorkOrder done = completions.computeIfAbsent(id.group(1), key -> new CompletableFuture<>())
                .get(60, TimeUnit.SECONDS);
        if (done.state() != OrderState.EXE) {
            throw new IllegalStateException("order " + done.correlationId() + ": " + done.state() + " "
                    + done.reason());
        }
        return (System.nanoTime() - started) / 1e6;
    }

    private static void commission(Database database, String serial) throws Exception {
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO meters (serial, gateway_id, first_seen, state, capabilities) VALUES (?, ?, ?, "
                        + "'commissioned', 'disconnector,limiter,load_profile,events,instantaneous,clock')")) {
            insert.setString(1, serial);
            insert.setString(2, GATEWAY);
            insert.setLong(3, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    private static void awaitOnline(MqttUplink uplink) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!uplink.status().connected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("uplink not connected: " + uplink.status());
            }
            Thread.sleep(50);
        }
        Thread.sleep(500); // central applies the birth
    }

    private static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}

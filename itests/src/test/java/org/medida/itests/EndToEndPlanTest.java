package org.medida.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.medida.testing.MosquittoBroker;

/**
 * Issue 4's plan proof (P1-P4): a mass read plan (registers, then clock sync) over 200 meters ends with the right
 * state per meter: EXE for the 95 meters of fleet A; WARN for the 95 of fleet B, whose clocks are two hours behind,
 * more than the gateway corrects (the edge answers the clock sync WARN, alarm raised); FAIL with a reason for the 10
 * unreachable ones. Every result reaches the external system's webhook once, after the webhook refused the first
 * ones (re-injected after the configured delay). Real processes only: Mosquitto, central
 * ({@code medida-central.jar --results-webhook}), the edge runtime of the simulator hardware profile, and two
 * simulator processes; the 10 unreachable meters are those of a third simulator, listed in the gateway's meters
 * file and stopped before the plan starts.
 * <p>
 * Needs the work orders feature (central sends the plan's orders to the gateway as command requests) and the
 * plans feature wired into central ({@code --results-webhook}, {@code --results-retry-seconds}).
 */
class EndToEndPlanTest {

    private static final String GATEWAY = "gw-plan";
    private static final String GATEWAY_PASSWORD = "gw-plan-secret";
    private static final String CENTRAL_PASSWORD = "central-secret";
    private static final int SERVED_PER_FLEET = 95;
    /** Fleet B's clocks are this far behind: more than the gateway corrects (clockMaxDeviationSeconds, 1 h). */
    private static final Duration CLOCK_BEHIND = Duration.ofHours(2);
    /** The plan's kinds, comma-separated as plans store them: a result per meter and kind. */
    private static final String KINDS = "READ_REGISTERS,SYNC_CLOCK";
    private static final int KIND_COUNT = 2;
    private static final int UNREACHABLE = 10;
    private static final int METERS = 2 * SERVED_PER_FLEET + UNREACHABLE;
    /** The webhook refuses this many POSTs first: central re-injects them after {@link #RETRY_SECONDS}. */
    private static final int WEBHOOK_REFUSALS = 3;
    private static final int RETRY_SECONDS = 5;
    private static final String PLAN_NAME = "e2e: registers of every meter";

    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration PLAN_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern SERIAL = Pattern.compile("\"serial\":\"([^\"]+)\"");
    private static final Pattern KIND = Pattern.compile("\"kind\":\"([^\"]+)\"");
    private static final Pattern PLAN = Pattern.compile("\"plan\":\"([^\"]*)\"");

    private static final EndToEndChildren CHILDREN = new EndToEndChildren("e2e-plan");
    private static RuntimeProcess edge;
    private static HttpServer webhook;

    /** Serial and kind of the results the webhook took, by idempotency key; and how many POSTs it refused. */
    private static final Map<String, String> TAKEN = new ConcurrentHashMap<>();
    private static final Map<String, Integer> TIMES_TAKEN = new ConcurrentHashMap<>();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    @Test
    void aPlanOver200MetersWithSomeUnreachableEndsWithTheRightStatePerMeter() throws Throwable {
        try {
            run();
        } catch (Throwable failure) {
            CHILDREN.printLogTails();
            throw failure;
        }
    }

    private void run() throws Exception {
        Path work = EndToEndFiles.cleanDirectory("e2e-plan");
        awaitNotNearMidnight();
        MosquittoBroker broker = CHILDREN.add(MosquittoBroker.start(work.resolve("broker"),
                Map.of(GATEWAY, GATEWAY_PASSWORD, "central", CENTRAL_PASSWORD)));
        CHILDREN.log(broker.log());
        int webhookPort = startWebhook();
        EndToEndCentral central = CHILDREN.add(EndToEndCentral.start(work.resolve("central"), broker.url(), "central",
                CENTRAL_PASSWORD, List.of(GATEWAY), List.of("--results-webhook",
                        "http://127.0.0.1:" + webhookPort + "/results", "--results-retry-seconds",
                        Integer.toString(RETRY_SECONDS))));
        CHILDREN.log(central.process().log());

        Path fleetA = startFleet(work, "EPA", SERVED_PER_FLEET, List.of());
        Path fleetB = startFleet(work, "EPB", SERVED_PER_FLEET,
                List.of("--epoch", Instant.now().minus(CLOCK_BEHIND).toString()));
        // the unreachable meters: a fleet that wrote its meters file, then stopped
        SimulatorProcess gone = CHILDREN.add(SimulatorProcess.start("EPX", EndToEndFiles.simulatorJar(),
                fleetArgs(work, "EPX", UNREACHABLE), work, () -> Files.exists(work.resolve("meters-EPX.csv"))));
        CHILDREN.log(work.resolve("simulator-EPX.log"));
        gone.close();
        Path fleetX = work.resolve("meters-EPX.csv");

        Path conf = work.resolve("edge-conf");
        EndToEndFiles.writeMetersFile(conf.resolve("meters.csv"), fleetA, fleetB, fleetX);
        edgeConfig(broker.url()).writeTo(conf);
        edge = RuntimeProcess.start("edge", work.resolve("edge-data"), conf, work.resolve("edge.log"));
        CHILDREN.log(work.resolve("edge.log"));
        ProcessWait.until("the gateway online at central", PHASE_TIMEOUT,
                () -> central.gateway(GATEWAY).map(EndToEndCentral.GatewayState::online).orElse(false));

        List<String> onTime = serials(fleetA);
        List<String> late = serials(fleetB);
        List<String> unreachable = serials(fleetX);
        assertEquals(METERS, onTime.size() + late.size() + unreachable.size());
        Path database = central.database();
        commission(database, concat(onTime, late), unreachable);
        long planId = startPlan(database);
        CHILDREN.print("plan " + planId + " over " + METERS + " meters started");

        Map<String, Long> shown = new HashMap<>();
        ProcessWait.until("every meter of the plan final", PLAN_TIMEOUT, () -> {
            Map<String, Long> states = countStates(database, planId);
            if (!states.equals(shown)) {
                CHILDREN.print("plan meters: " + states);
                shown.clear();
                shown.putAll(states);
            }
            return states.getOrDefault("WAITING", 0L) + states.getOrDefault("RUNNING", 0L) == 0
                    && states.values().stream().mapToLong(Long::longValue).sum() == METERS;
        });
        Map<String, String[]> meters = planMeters(database, planId);
        for (String serial : onTime) {
            assertEquals("EXE", meters.get(serial)[0], serial + ": " + meters.get(serial)[1]);
        }
        for (String serial : late) {
            assertEquals("WARN", meters.get(serial)[0], serial + ": " + meters.get(serial)[1]);
            assertTrue(meters.get(serial)[1].contains("SYNC_CLOCK: clock deviates by"), meters.get(serial)[1]);
        }
        for (String serial : unreachable) {
            assertEquals("FAIL", meters.get(serial)[0], serial + " is not served");
            assertFalse(meters.get(serial)[1].isEmpty(), serial + " fails with a reason");
        }

        ProcessWait.until("every result at the webhook", PHASE_TIMEOUT,
                () -> TAKEN.size() >= METERS * KIND_COUNT);
        assertEquals(WEBHOOK_REFUSALS, REFUSED.get());
        assertEquals(METERS * KIND_COUNT, TAKEN.size());
        assertTrue(TIMES_TAKEN.values().stream().allMatch(times -> times == 1), "each result taken once");
        assertEquals(METERS * KIND_COUNT, TAKEN.values().stream().distinct().count(), "one result per meter and kind");
        assertEquals(0, number(database, "SELECT COUNT(*) FROM deliveries WHERE delivered_at IS NULL"));
    }

    // ---- the provisioning step and the plan, written to central's database while it runs

    /**
     * The provisioning step: the meters commissioned at central with every capability, as the provisioning API would
     * leave them (a meter the ingest already created from the gateway's data is updated in place). The default daily
     * plan is cancelled so that only the test's plan sends orders, whatever the hour.
     */
    private static void commission(Path database, List<String> served, List<String> unreachable)
            throws SQLException {
        long now = System.currentTimeMillis();
        try (Connection db = open(database)) {
            db.setAutoCommit(false);
            try (PreparedStatement upsert = db.prepareStatement("INSERT INTO meters (serial, gateway_id, first_seen, "
                    + "state, state_since, connection, capabilities) VALUES (?, ?, ?, 'commissioned', ?, 'gateway', "
                    + "'disconnector,limiter,load_profile,events,instantaneous,clock') ON CONFLICT (serial) DO UPDATE "
                    + "SET state = excluded.state, state_since = excluded.state_since, "
                    + "capabilities = excluded.capabilities")) {
                for (String serial : concat(served, unreachable)) {
                    upsert.setString(1, serial);
                    upsert.setString(2, GATEWAY);
                    upsert.setLong(3, now);
                    upsert.setLong(4, now);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            try (Statement statement = db.createStatement()) {
                statement.executeUpdate("UPDATE plans SET state = 'CANCELLED' WHERE created_by = 'central'");
            }
            db.commit();
        }
    }

    /**
     * The plan as {@code POST /api/plans} stores it (through the API once the operators' login can be scripted here):
     * every commissioned meter, registers then clock sync, today, window the whole day, 2 attempts 5 s apart.
     */
    private static long startPlan(Path database) throws SQLException {
        try (Connection db = open(database); PreparedStatement insert = db.prepareStatement("INSERT INTO plans "
                + "(name, target_kind, target, kinds, first_day, last_day, window_start, window_end, max_attempts, "
                + "retry_after_seconds, daily, state, created_by, created_at) VALUES (?, 'all', '', ?, "
                + "?, ?, '00:00', '23:59', 2, 5, 0, 'ACTIVE', 'e2e', ?)")) {
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            insert.setString(1, PLAN_NAME);
            insert.setString(2, KINDS);
            insert.setString(3, today);
            insert.setString(4, today);
            insert.setLong(5, System.currentTimeMillis());
            insert.executeUpdate();
        }
        return number(database, "SELECT plan_id FROM plans WHERE name = '" + PLAN_NAME + "'");
    }

    /** The plan window ends at 23:59 UTC: a run that would cross midnight waits for the new day. */
    private static void awaitNotNearMidnight() throws InterruptedException {
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        if (now.isAfter(LocalTime.of(23, 45))) {
            Thread.sleep(Duration.between(now, LocalTime.MAX).plusMinutes(1).toMillis());
        }
    }

    private static Map<String, Long> countStates(Path database, long planId) throws SQLException {
        Map<String, Long> states = new HashMap<>();
        try (Connection db = open(database); PreparedStatement query = db.prepareStatement(
                "SELECT state, COUNT(*) FROM plan_meters WHERE plan_id = ? GROUP BY state")) {
            query.setLong(1, planId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    states.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return states;
    }

    /** Per serial: state and reason. */
    private static Map<String, String[]> planMeters(Path database, long planId) throws SQLException {
        Map<String, String[]> meters = new HashMap<>();
        try (Connection db = open(database); PreparedStatement query = db.prepareStatement(
                "SELECT serial, state, reason FROM plan_meters WHERE plan_id = ?")) {
            query.setLong(1, planId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    meters.put(rows.getString(1), new String[] {rows.getString(2), rows.getString(3)});
                }
            }
        }
        return meters;
    }

    private static long number(Path database, String sql) throws SQLException {
        try (Connection db = open(database); Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Connection open(Path database) throws SQLException {
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
        try (Statement statement = db.createStatement()) {
            statement.execute("PRAGMA busy_timeout=30000");
        }
        return db;
    }

    // ---- the external system

    /** The webhook: refuses the first POSTs with 503, then takes each result, keyed by its idempotency key. */
    private static int startWebhook() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/results", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int status = 204;
            Matcher plan = PLAN.matcher(body);
            Matcher serial = SERIAL.matcher(body);
            Matcher kind = KIND.matcher(body);
            if (REFUSED.get() < WEBHOOK_REFUSALS) {
                REFUSED.incrementAndGet();
                status = 503;
            } else if (plan.find() && PLAN_NAME.equals(plan.group(1)) && serial.find() && kind.find()) {
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                TAKEN.put(key, serial.group(1) + " " + kind.group(1));
                TIMES_TAKEN.merge(key, 1, Integer::sum);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        webhook.start();
        return webhook.getAddress().getPort();
    }

    // ---- the fleets and the gateway

    private static Path startFleet(Path work, String prefix, int meters, List<String> more) throws Exception {
        Path file = work.resolve("meters-" + prefix + ".csv");
        SimulatorProcess simulator = CHILDREN.add(SimulatorProcess.start(prefix, EndToEndFiles.simulatorJar(),
                concat(fleetArgs(work, prefix, meters), more), work, () -> Files.exists(file)));
        CHILDREN.log(work.resolve("simulator-" + prefix + ".log"));
        CHILDREN.print("fleet " + prefix + ": " + simulator);
        return file;
    }

    /** A fleet on emulated PLC links, ten meters per port, without loss: a lost register would make a read WARN. */
    private static List<String> fleetArgs(Path work, String prefix, int meters) {
        return List.of("--meters", Integer.toString(meters), "--meters-per-port", "10", "--base-port", "0",
                "--serial-prefix", prefix, "--latency-ms", "20", "--jitter-ms", "10", "--loss", "0",
                "--inventory-out", work.resolve("meters-" + prefix + ".csv").toString());
    }

    private static List<String> serials(Path... files) throws IOException {
        List<String> serials = new ArrayList<>();
        for (Path file : files) {
            Files.readAllLines(file, StandardCharsets.UTF_8).stream().skip(2)
                    .forEach(line -> serials.add(line.substring(0, line.indexOf(','))));
        }
        return serials;
    }

    private static RuntimeConfig edgeConfig(String brokerUrl) throws IOException {
        return RuntimeConfig.ofInstallation()
                .set("org.medida.edge.inventory", "importCheckSeconds", 2)
                .set("org.medida.edge.collector", "initialBackfillHours", 1)
                .set("org.medida.edge.uplink", "brokerUrl", brokerUrl)
                .set("org.medida.edge.uplink", "gatewayId", GATEWAY)
                .set("org.medida.edge.uplink", "username", GATEWAY)
                .set("org.medida.edge.uplink", "password", GATEWAY_PASSWORD)
                .set("org.medida.edge.uplink", "keepAliveSeconds", 5)
                .set("org.medida.edge.uplink", "reconnectMinBackoffMillis", 500)
                .set("org.medida.edge.uplink", "reconnectMaxBackoffMillis", 3000);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Every child, by PID: the edge first, then the rest in reverse order; the webhook last. */
    @AfterAll
    static void stopEveryChild() throws Exception {
        CHILDREN.stop(edge);
        if (webhook != null) {
            webhook.stop(0);
        }
    }
}

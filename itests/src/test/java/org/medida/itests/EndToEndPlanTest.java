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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
 * The operator works through central's HTTP API only: the 200 meters are registered and commissioned there (the
 * gateway starts with an empty meter table and gets them from central), the plan is created there and its progress
 * and per-meter outcome read there.
 */
class EndToEndPlanTest {

    private static final String GATEWAY = "gw-plan";
    private static final int SERVED_PER_FLEET = 95;
    /** Fleet B's clocks are this far behind: more than the gateway corrects (clockMaxDeviationSeconds, 1 h). */
    private static final Duration CLOCK_BEHIND = Duration.ofHours(2);
    /** The plan's kinds: a result per meter and kind. */
    private static final List<String> KINDS = List.of("READ_REGISTERS", "SYNC_CLOCK");
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

    @RegisterExtension
    static final EndToEndSite SITE = new EndToEndSite("e2e-plan", GATEWAY);

    /** Serial and kind of the results the webhook took, by idempotency key; and how many POSTs it refused. */
    private static final Map<String, String> TAKEN = new ConcurrentHashMap<>();
    private static final Map<String, Integer> TIMES_TAKEN = new ConcurrentHashMap<>();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    @Test
    void aPlanOver200MetersWithSomeUnreachableEndsWithTheRightStatePerMeter() throws Exception {
        awaitNotNearMidnight();
        int webhookPort = startWebhook();
        EndToEndCentral central = SITE.start(List.of("--results-webhook",
                "http://127.0.0.1:" + webhookPort + "/results", "--results-retry-seconds",
                Integer.toString(RETRY_SECONDS)));
        CentralApi api = central.operator();
        // only the test's plan sends orders, whatever the hour
        api.cancelCentralsPlans();

        Path work = SITE.work();
        Path fleetA = startFleet(work, "EPA", SERVED_PER_FLEET, List.of());
        Path fleetB = startFleet(work, "EPB", SERVED_PER_FLEET,
                List.of("--epoch", Instant.now().minus(CLOCK_BEHIND).toString()));
        // the unreachable meters: a fleet that wrote its meters file, then stopped
        SimulatorProcess gone = SITE.children().add(SimulatorProcess.start("EPX", EndToEndFiles.simulatorJar(),
                fleetArgs(work, "EPX", UNREACHABLE), work, () -> Files.exists(work.resolve("meters-EPX.csv"))));
        SITE.children().log(work.resolve("simulator-EPX.log"));
        gone.close();
        Path fleetX = work.resolve("meters-EPX.csv");

        // the gateway starts with an empty meter table: the operator provisions the meters through central
        SITE.startEdge(SITE.edgeConfig().set("org.medida.edge.collector", "initialBackfillHours", 1)
                .writeTo(work.resolve("edge-conf")));
        Instant provisioning = Instant.now();
        List<String> onTime = api.provision(fleetA, GATEWAY);
        List<String> late = api.provision(fleetB, GATEWAY);
        List<String> unreachable = api.provision(fleetX, GATEWAY);
        assertEquals(METERS, onTime.size() + late.size() + unreachable.size());
        SITE.children().print(METERS + " meters registered and commissioned in "
                + Duration.between(provisioning, Instant.now()).toMillis() + " ms");
        api.awaitCommissioned(GATEWAY, METERS, PHASE_TIMEOUT);
        SITE.children().print(METERS + " meters confirmed by the gateway after "
                + Duration.between(provisioning, Instant.now()).toMillis() + " ms");

        long planId = api.createPlan(plan());
        SITE.children().print("plan " + planId + " over " + METERS + " meters started");
        Map<String, Long> shown = new HashMap<>();
        ProcessWait.until("every meter of the plan final", PLAN_TIMEOUT, () -> {
            Map<String, Long> counts = api.planCounts(planId);
            if (!counts.equals(shown)) {
                SITE.children().print("plan meters: " + counts);
                shown.clear();
                shown.putAll(counts);
            }
            return counts.get("waiting") + counts.get("running") == 0
                    && counts.values().stream().mapToLong(Long::longValue).sum() == METERS;
        });
        Map<String, CentralApi.PlanMeter> meters = api.planMeters(planId);
        for (String serial : onTime) {
            assertEquals("EXE", meters.get(serial).state(), serial + ": " + meters.get(serial).reason());
        }
        for (String serial : late) {
            assertEquals("WARN", meters.get(serial).state(), serial + ": " + meters.get(serial).reason());
            assertTrue(meters.get(serial).reason().contains("SYNC_CLOCK: clock deviates by"),
                    meters.get(serial).reason());
        }
        for (String serial : unreachable) {
            assertEquals("FAIL", meters.get(serial).state(), serial + " is not served");
            assertFalse(meters.get(serial).reason().isEmpty(), serial + " fails with a reason");
        }

        ProcessWait.until("every result at the webhook", PHASE_TIMEOUT,
                () -> TAKEN.size() >= METERS * KINDS.size());
        assertEquals(WEBHOOK_REFUSALS, REFUSED.get());
        assertEquals(METERS * KINDS.size(), TAKEN.size());
        assertTrue(TIMES_TAKEN.values().stream().allMatch(times -> times == 1), "each result taken once");
        assertEquals(METERS * KINDS.size(), TAKEN.values().stream().distinct().count(),
                "one result per meter and kind");
        assertEquals(0, api.undeliveredResults(planId), "central holds every result as delivered");
    }

    /** Every commissioned meter, registers then clock sync, today, window the whole day, 2 attempts 5 s apart. */
    private static Map<String, Object> plan() {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("name", PLAN_NAME);
        plan.put("target", Map.of("kind", "all"));
        plan.put("kinds", KINDS);
        plan.put("firstDay", today);
        plan.put("lastDay", today);
        plan.put("windowStart", "00:00");
        plan.put("windowEnd", "23:59");
        plan.put("maxAttempts", 2);
        plan.put("retryAfterSeconds", 5);
        return plan;
    }

    /** The plan window ends at 23:59 UTC: a run that would cross midnight waits for the new day. */
    private static void awaitNotNearMidnight() throws InterruptedException {
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        if (now.isAfter(LocalTime.of(23, 45))) {
            Thread.sleep(Duration.between(now, LocalTime.MAX).plusMinutes(1).toMillis());
        }
    }

    // ---- the external system

    /** The webhook: refuses the first POSTs with 503, then takes each result, keyed by its idempotency key. */
    private static int startWebhook() throws IOException {
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
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
        SITE.children().add((AutoCloseable) () -> webhook.stop(0));
        return webhook.getAddress().getPort();
    }

    // ---- the fleets and the gateway

    private static Path startFleet(Path work, String prefix, int meters, List<String> more) throws Exception {
        Path file = work.resolve("meters-" + prefix + ".csv");
        SimulatorProcess simulator = SITE.children().add(SimulatorProcess.start(prefix, EndToEndFiles.simulatorJar(),
                concat(fleetArgs(work, prefix, meters), more), work, () -> Files.exists(file)));
        SITE.children().log(work.resolve("simulator-" + prefix + ".log"));
        SITE.children().print("fleet " + prefix + ": " + simulator);
        return file;
    }

    /** A fleet on emulated PLC links, ten meters per port, without loss: a lost register would make a read WARN. */
    private static List<String> fleetArgs(Path work, String prefix, int meters) {
        return List.of("--meters", Integer.toString(meters), "--meters-per-port", "10", "--base-port", "0",
                "--serial-prefix", prefix, "--latency-ms", "20", "--jitter-ms", "10", "--loss", "0",
                "--inventory-out", work.resolve("meters-" + prefix + ".csv").toString());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

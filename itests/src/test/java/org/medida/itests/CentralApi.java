package org.medida.itests;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.medida.edge.api.TaskKind;

/**
 * Central's HTTP API as an operator's script calls it (see {@code demo/run}): logged in once with a session cookie,
 * JSON bodies sent with {@code Content-Type: application/json} (central's rule against cross-site requests). An
 * answer other than 2xx fails the call with its status and body.
 */
final class CentralApi {

    /** Every capability a simulated meter has: each work order kind is allowed on it. */
    private static final List<String> SIMULATED_CAPABILITIES = List.of("disconnector", "limiter", "load_profile",
            "events", "instantaneous", "clock");
    private static final List<String> FINAL_ORDER_STATES = List.of("EXE", "WARN", "FAIL");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(10)).build();

    private CentralApi(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A client logged in at central on {@code port} as {@code username}. */
    static CentralApi login(int port, String username, String password) throws IOException, InterruptedException {
        CentralApi api = new CentralApi(port);
        api.post("/login", Map.of("username", username, "password", password));
        return api;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).GET().build());
    }

    private JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(request.method() + " " + request.uri().getPath() + ": " + response.statusCode()
                    + " " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    // ---- provisioning

    /**
     * Registers every meter of a simulator's meters file ({@code --inventory-out}: addressing and HLS5-GMAC keys) as
     * reached through {@code gatewayId}, with every capability, and commissions it there; returns the serials. Central
     * sends the commissions to the gateway when it is online: see {@link #awaitCommissioned}.
     */
    List<String> provision(Path metersFile, String gatewayId) throws IOException, InterruptedException {
        List<String> serials = new ArrayList<>();
        for (String line : Files.readAllLines(metersFile, StandardCharsets.UTF_8)) {
            String[] field = line.split(",", -1);
            if (line.startsWith("#") || field[0].equals("serial")) {
                continue;
            }
            Map<String, Object> meter = new LinkedHashMap<>();
            meter.put("serial", field[0]);
            meter.put("gatewayId", gatewayId);
            meter.put("transport", field[1].toLowerCase(Locale.ROOT));
            meter.put("host", field[2]);
            meter.put("port", Integer.parseInt(field[3]));
            meter.put("logicalDevice", Integer.parseInt(field[4]));
            meter.put("physicalAddress", Integer.parseInt(field[5]));
            meter.put("channel", field[6]);
            meter.put("security", field[7].toLowerCase(Locale.ROOT));
            meter.put("encryptionKey", field[9]);
            meter.put("authenticationKey", field[10]);
            meter.put("capabilities", SIMULATED_CAPABILITIES);
            post("/api/meters", meter);
            post("/api/meters/" + field[0] + "/commission", Map.of());
            serials.add(field[0]);
        }
        return serials;
    }

    /** Returns once central shows {@code count} meters of the gateway commissioned, i.e. confirmed by the gateway. */
    void awaitCommissioned(String gatewayId, int count, Duration timeout) throws InterruptedException {
        ProcessWait.until(count + " meters commissioned on " + gatewayId, timeout,
                () -> get("/api/meters?state=commissioned&limit=5000&gateway=" + gatewayId).size() == count);
    }

    /** The meter as {@code GET /api/meters/{serial}} shows it (state, relayClosed, ...). */
    JsonNode meter(String serial) throws IOException, InterruptedException {
        return get("/api/meters/" + serial).get("meter");
    }

    boolean gatewayOnline(String gatewayId) throws IOException, InterruptedException {
        return get("/api/gateways/" + gatewayId).get("gateway").get("online").asBoolean();
    }

    // ---- work orders

    /** A work order as central shows it: its state, why it ended so, and the registers read. */
    record Order(String state, String reason, List<Register> registers) {

        /** The register's value in Wh or W: the meter may answer in kWh. */
        Optional<BigDecimal> register(String obis) {
            return registers.stream().filter(r -> r.obis().equals(obis))
                    .map(r -> new BigDecimal(r.value()).scaleByPowerOfTen(r.unit().equals("kWh") ? 3 : 0))
                    .findFirst();
        }

        boolean ended() {
            return FINAL_ORDER_STATES.contains(state);
        }
    }

    record Register(String obis, String unit, String value) {
    }

    /** Submits an on-demand order of high priority on {@code serial}; returns its correlation id. */
    String submitOrder(String serial, TaskKind kind, Duration expiresIn) throws IOException, InterruptedException {
        return post("/api/workorders", Map.of("serial", serial, "kind", kind.name(), "priority", "HIGH",
                "expiresInSeconds", expiresIn.toSeconds())).get("correlationId").asText();
    }

    Order order(String correlationId) throws IOException, InterruptedException {
        JsonNode order = get("/api/workorders/" + correlationId);
        List<Register> registers = new ArrayList<>();
        for (JsonNode register : order.get("registers")) {
            registers.add(new Register(text(register, "obis"), text(register, "unit"), text(register, "value")));
        }
        return new Order(text(order, "state"), text(order, "reason"), registers);
    }

    /** Returns the order once it has ended (EXE, WARN or FAIL). */
    Order awaitEnd(String correlationId, Duration timeout) throws IOException, InterruptedException {
        ProcessWait.until("work order " + correlationId + " ended", timeout, () -> order(correlationId).ended());
        return order(correlationId);
    }

    // ---- plans

    /** Cancels the plans central created itself (the default daily read), so that only the test's plans run. */
    void cancelCentralsPlans() throws IOException, InterruptedException {
        for (JsonNode plan : get("/api/plans")) {
            if (plan.get("createdBy").asText().equals("central") && plan.get("state").asText().equals("ACTIVE")) {
                post("/api/plans/" + plan.get("id").asLong() + "/cancel", Map.of());
            }
        }
    }

    /** Creates a plan ({@code POST /api/plans}, the body of {@code openapi/plans.json}); returns its id. */
    long createPlan(Map<String, Object> plan) throws IOException, InterruptedException {
        return post("/api/plans", plan).get("id").asLong();
    }

    /** How many of the plan's meters are in each state today: waiting, running, exe, warn, fail. */
    Map<String, Long> planCounts(long planId) throws IOException, InterruptedException {
        Map<String, Long> counts = new HashMap<>();
        get("/api/plans/" + planId).get("counts").fields()
                .forEachRemaining(count -> counts.put(count.getKey(), count.getValue().asLong()));
        return counts;
    }

    /** A meter of a plan: its state, and each kind's reason. */
    record PlanMeter(String state, String reason) {
    }

    /** The plan's meters by serial. */
    Map<String, PlanMeter> planMeters(long planId) throws IOException, InterruptedException {
        Map<String, PlanMeter> meters = new HashMap<>();
        for (JsonNode meter : get("/api/plans/" + planId + "/meters")) {
            meters.put(text(meter, "serial"), new PlanMeter(text(meter, "state"), text(meter, "reason")));
        }
        return meters;
    }

    /** The plan's results central has not delivered to the results webhook yet, read page by page. */
    long undeliveredResults(long planId) throws IOException, InterruptedException {
        long undelivered = 0;
        long after = 0;
        while (true) {
            JsonNode page = get("/api/plans/" + planId + "/results?after=" + after);
            if (page.get("results").isEmpty()) {
                return undelivered;
            }
            for (JsonNode result : page.get("results")) {
                undelivered += result.get("delivered").asBoolean() ? 0 : 1;
            }
            after = page.get("next").asLong();
        }
    }

    /** A text field, empty when absent or null. */
    private static String text(JsonNode object, String field) {
        JsonNode value = object.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }
}

package org.medida.central.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.SettableClock;
import org.medida.central.web.HttpView;
import org.medida.central.web.Operator;
import org.medida.central.web.Role;
import org.medida.central.web.TestLogin;
import org.medida.central.workorders.OrderState;

/**
 * The plans feature running (its threads, the HTTP API over real HTTP, the webhook) with the work orders ended by
 * the test. The operators' login is the web feature's: here every request runs as the technician "tech".
 */
class PlanRoutesTest {

    private static final String PLAN = """
            {"name": "gw-1 night", "target": {"kind": "gateway", "value": "gw-1"}, "kinds": ["READ_REGISTERS"],
             "firstDay": "2026-11-22", "lastDay": "2026-11-22", "windowStart": "09:00", "windowEnd": "11:00",
             "maxAttempts": 2, "retryAfterSeconds": 60}""";

    @TempDir
    Path dir;

    private PlanFleet fleet;
    private final SettableClock clock = new SettableClock(PlanFleet.at("2026-11-22T09:30:00Z"));
    private ScriptedWorkOrders orders;
    private WebhookReceiver webhook;
    private Plans plans;
    private HttpView view;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        fleet = new PlanFleet(dir);
        fleet.gateway("gw-1");
        fleet.meters("A", 5, "gw-1", "commissioned", PlanFleet.ALL_CAPABILITIES);
        orders = new ScriptedWorkOrders(clock);
        webhook = new WebhookReceiver(1);
        plans = Plans.start(fleet.database, orders, new Plans.Settings(webhook.url(), Duration.ofMinutes(1),
                Duration.ofMillis(100), 2), clock);
        view = HttpView.start(fleet.database, "127.0.0.1", 0, List.of(TestLogin.as(new Operator("tech",
                Role.TECHNICAL)), plans.routes()));
    }

    @AfterEach
    void stop() throws Exception {
        view.close();
        plans.close();
        webhook.close();
    }

    @Test
    void aPlanCreatedOverHttpRunsShowsItsProgressAndDeliversItsResults() throws Exception {
        HttpResponse<String> created = send("POST", "/api/plans", PLAN);
        assertEquals(201, created.statusCode(), created.body());
        JsonNode plan = PlanFormat.JSON.readTree(created.body());
        long id = plan.get("id").asLong();
        assertEquals("gateway|gw-1|09:00|11:00|2|60|false|ACTIVE|tech", String.join("|",
                plan.get("target").get("kind").asText(), plan.get("target").get("value").asText(),
                plan.get("windowStart").asText(), plan.get("windowEnd").asText(), plan.get("maxAttempts").asText(),
                plan.get("retryAfterSeconds").asText(), plan.get("daily").asText(), plan.get("state").asText(),
                plan.get("createdBy").asText()));
        assertEquals("tech|plan.create|plan:" + id, fleet.one("SELECT username, action, target FROM audit_log"));

        await("two orders out (two per gateway), three meters waiting",
                () -> counts(id).get("running").asInt() == 2 && counts(id).get("waiting").asInt() == 3);
        assertEquals(2, orders.outstanding().size());
        assertEquals("2026-11-22", json(send("GET", "/api/plans/" + id, null)).get("day").asText());

        while (webhook.taken().size() + webhook.refused() == 0 || orders.requests().size() < 5
                || !orders.outstanding().isEmpty()) {
            orders.outstanding().forEach(order -> orders.end(order, order.serial().equals("A005") ? OrderState.FAIL
                    : OrderState.EXE, order.serial().equals("A005") ? "no answer" : "", 1));
            Thread.sleep(20);
        }
        await("every meter final", () -> counts(id).get("exe").asInt() == 4 && counts(id).get("fail").asInt() == 1);
        JsonNode meters = json(send("GET", "/api/plans/" + id + "/meters?day=2026-11-22", null));
        assertEquals(5, meters.size());
        assertEquals("A005|FAIL|READ_REGISTERS|READ_REGISTERS: no answer", String.join("|",
                meters.get(4).get("serial").asText(), meters.get(4).get("state").asText(),
                meters.get(4).get("kind").asText(), meters.get(4).get("reason").asText()));

        // the webhook refused the first result: re-injected a minute later, then all of them in order
        await("the first refusal", () -> webhook.refused() == 1);
        // two minutes: the deliverer may take the refusal in (and set the retry a minute on) after the clock moved
        clock.advance(Duration.ofMinutes(2));
        await("five results at the webhook", () -> webhook.taken().size() == 5);
        assertEquals("1", webhook.taken().get(0).idempotencyKey());
        JsonNode results = json(send("GET", "/api/plans/" + id + "/results?after=3", null));
        assertEquals(2, results.get("results").size());
        assertEquals(5, results.get("next").asLong());
        assertTrue(results.get("results").get(0).get("delivered").asBoolean());
        assertEquals(id, results.get("results").get(0).get("result").get("planId").asLong());

        clock.set(Instant.parse("2026-11-22T11:00:00Z"));
        await("the plan done after its last window", () -> state(id).equals("DONE"));
        HttpResponse<String> cancel = send("POST", "/api/plans/" + id + "/cancel", null);
        assertEquals(409, cancel.statusCode());
        assertEquals("{\"error\":\"plan " + id + " is DONE, not ACTIVE\"}", cancel.body());
    }

    @Test
    void theDefaultPlanIsListedAndAPlanCanBeCancelled() throws Exception {
        JsonNode list = json(send("GET", "/api/plans", null));
        assertEquals(PlanService.DAILY_BILLING_READ, list.get(0).get("name").asText());
        assertEquals("all", list.get(0).get("target").get("kind").asText());
        assertTrue(list.get(0).get("lastDay").isNull());
        long id = json(send("POST", "/api/plans", PLAN.replace("\"lastDay\": \"2026-11-22\", ", ""))).get("id")
                .asLong();
        HttpResponse<String> cancelled = send("POST", "/api/plans/" + id + "/cancel", null);
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        assertEquals("CANCELLED", json(cancelled).get("state").asText());
        assertEquals("tech|plan.cancel|plan:" + id, fleet.one("SELECT username, action, target FROM audit_log "
                + "WHERE action = 'plan.cancel'"));
    }

    @Test
    void anInvalidPlanIs400WithEveryProblem() throws Exception {
        HttpResponse<String> refused = send("POST", "/api/plans", """
                {"name": "bad", "target": {"kind": "list", "value": "A001,X9"}, "kinds": ["READ_REGISTERS", "BOIL"],
                 "firstDay": "22/11/2026", "windowStart": "9h", "windowEnd": "11:00", "maxAttempts": 0}""");
        assertEquals(400, refused.statusCode());
        assertEquals("{\"error\":\"invalid plan\",\"problems\":["
                + "\"kinds: unknown kind 'BOIL' (known: [READ_REGISTERS, READ_PROFILE, READ_EVENTS, "
                + "READ_INSTANTANEOUS, SYNC_CLOCK, DISCONNECT, RECONNECT, SET_POWER_LIMIT, CLEAR_POWER_LIMIT])\","
                + "\"firstDay: '22/11/2026' is not an ISO date like 2026-11-22\","
                + "\"windowStart: '9h' is not a UTC time HH:MM like 01:00\",\"maxAttempts: 0 is not 1 to 100\"]}",
                refused.body());
        HttpResponse<String> unknownMeter = send("POST", "/api/plans", PLAN.replace("\"kind\": \"gateway\", "
                + "\"value\": \"gw-1\"", "\"kind\": \"list\", \"value\": \"A001,X9\""));
        assertEquals("{\"error\":\"invalid plan\",\"problems\":[\"meter X9: unknown\"]}", unknownMeter.body());
        assertEquals("{\"error\":\"invalid plan\",\"problems\":[\"target.kind: 'city' is not list, gateway, group "
                + "or all\",\"windowStart: required, a UTC time like 01:00\"]}", send("POST", "/api/plans",
                        PLAN.replace("gateway", "city").replace("\"windowStart\": \"09:00\", ", "")).body());
    }

    @Test
    void badBodiesAndParametersAre400AndUnknownPlans404() throws Exception {
        assertError(400, "{\"error\":\"maxAttempts: Cannot deserialize value of type `java.lang.Integer` from "
                + "String \\\"x\\\": not a valid `java.lang.Integer` value\"}",
                send("POST", "/api/plans", PLAN.replace("\"maxAttempts\": 2", "\"maxAttempts\": \"x\"")));
        assertError(400, "{\"error\":\"colour: unknown field\"}", send("POST", "/api/plans",
                PLAN.replace("{\"name\"", "{\"colour\": 1, \"name\"")));
        HttpResponse<String> notJson = send("POST", "/api/plans", "{name");
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().startsWith("{\"error\":\"body: not a JSON object ("), notJson.body());
        assertError(400, "{\"error\":\"body: a plan object is required\"}", send("POST", "/api/plans", "null"));
        assertError(400, "{\"error\":\"id: 'seven' is not a plan id\"}", send("GET", "/api/plans/seven", null));
        assertError(400, "{\"error\":\"'day' must be a day like 2026-11-22, not 'today'\"}",
                send("GET", "/api/plans/1/meters?day=today", null));
        assertError(400, "{\"error\":\"'after' must be a whole number of at least 0, not 'x'\"}",
                send("GET", "/api/plans/1/results?after=x", null));
        assertError(404, "{\"error\":\"no plan 99\"}", send("GET", "/api/plans/99", null));
        assertError(404, "{\"error\":\"no plan 99\"}", send("GET", "/api/plans/99/meters", null));
        assertError(404, "{\"error\":\"no plan 99\"}", send("GET", "/api/plans/99/results", null));
        assertError(404, "{\"error\":\"no plan 99\"}", send("POST", "/api/plans/99/cancel", null));
    }

    private static void assertError(int status, String body, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(body, response.body());
    }

    private JsonNode counts(long id) {
        try {
            return json(send("GET", "/api/plans/" + id, null)).get("counts");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String state(long id) {
        try {
            return json(send("GET", "/api/plans/" + id, null)).get("state").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        return PlanFormat.JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        // JSON, as the dashboard's script sends it: the login check refuses a state change that is not
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + view.port() + path))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}

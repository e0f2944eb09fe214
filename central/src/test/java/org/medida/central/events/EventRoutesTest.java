package org.medida.central.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medida.central.SampleBatches;
import org.medida.central.web.HttpView;
import org.medida.central.web.Operator;
import org.medida.central.web.Role;
import org.medida.central.web.TestLogin;

/** The events API over real HTTP on a database the real ingest filled. */
class EventRoutesTest extends EventsTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpView http;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void serve() {
        ingest(SampleBatches.events(1, "M1"));
        ingest(SampleBatches.drops(2, "M2"));
        ingest(profile(3, "M1", SampleBatches.DAY, 1, 96, Set.of(40, 41), 0, Set.of()));
        http = HttpView.start(database, "127.0.0.1", 0, List.of(TestLogin.as(new Operator("ana", Role.ADMIN)),
                new EventRoutes(database, new MissingIntervals(database, clock, Duration.ofHours(2)), clock)));
    }

    @AfterEach
    void stopHttp() {
        http.close();
    }

    @Test
    void listsEventsNewestFirstWithFilters() throws Exception {
        JsonNode all = ok(get("/api/events"));
        assertEquals(4, all.size());
        assertEquals("meter cover removed", all.get(0).get("name").asText());
        assertEquals("data dropped by the gateway", all.get(3).get("name").asText(), "at 00:15, the oldest");
        JsonNode m1 = ok(get("/api/events?serial=M1&gateway=gw-1&from=2026-11-21T01:30:00Z&to=2026-11-22T00:00:00Z"));
        assertEquals(1, m1.size());
        assertEquals("meter cover removed", m1.get(0).get("name").asText());
        assertEquals("2026-11-21T02:00:00Z", m1.get(0).get("at").asText());
        assertEquals(44, m1.get(0).get("code").asInt());
        assertEquals(1, ok(get("/api/events?limit=1")).size());
        assertEquals(4, ok(get("/api/events?limit=&from=")).size(), "a form's empty fields are the defaults");
    }

    @Test
    void refusesBadEventParametersByName() throws Exception {
        assertError(get("/api/events?from=yesterday"), 400,
                "'from' must be an ISO-8601 instant like 2026-11-22T00:00:00Z, not 'yesterday'");
        assertError(get("/api/events?limit=0"), 400, "'limit' must be a whole number from 1 to 1000, not '0'");
        assertError(get("/api/events?limit=many"), 400, "'limit' must be a whole number from 1 to 1000, not 'many'");
        assertError(get("/api/events?from=2026-11-22T00:00:00Z&to=2026-11-21T00:00:00Z"), 400, "must be before 'to'");
        assertError(get("/api/alarms?open=maybe"), 400, "'open' must be true or false");
    }

    @Test
    void acknowledgesAnAlarmOnceWithWhoAndWhenInTheAuditLog() throws Exception {
        JsonNode open = ok(get("/api/alarms?open=true"));
        assertEquals(2, open.size(), "cover open and data dropped");
        long id = open.get(1).get("id").asLong();

        JsonNode acknowledged = ok(post("/api/alarms/" + id + "/acknowledge"));
        assertEquals("ana", acknowledged.get("acknowledgedBy").asText());
        assertEquals(clock.instant().toString(), acknowledged.get("acknowledgedAt").asText());
        assertEquals(1, ok(get("/api/alarms?open=true")).size());
        assertEquals(2, ok(get("/api/alarms")).size());
        assertEquals("ana alarm.acknowledge alarm " + id, text("SELECT username || ' ' || action || ' ' || target "
                + "FROM audit_log"));

        assertError(post("/api/alarms/" + id + "/acknowledge"), 409, "was acknowledged by ana at");
        assertError(post("/api/alarms/999/acknowledge"), 404, "no alarm 999");
        assertError(post("/api/alarms/first/acknowledge"), 400, "alarm id must be a number");
        assertEquals(1, number("SELECT COUNT(*) FROM audit_log"));
    }

    @Test
    void replacesTheAlarmRules() throws Exception {
        assertEquals(AlarmRules.DEFAULTS.size(), ok(get("/api/alarm-rules")).size());

        JsonNode rules = ok(put("/api/alarm-rules", "[{\"source\":\"meter_log\",\"code\":-1,\"severity\":\"minor\","
                + "\"enabled\":true},{\"source\":\"gateway\",\"code\":1,\"severity\":\"critical\",\"enabled\":false}]"));

        assertEquals(2, rules.size());
        assertEquals(2, ok(get("/api/alarm-rules")).size());
        assertEquals("alarm-rules.replace 2 rules, 1 enabled", text("SELECT action || ' ' || detail FROM audit_log"));
        ingest(SampleBatches.events(4, "M3"));
        assertEquals(5, number("SELECT COUNT(*) FROM alarms"), "two before, three more by the wildcard");
    }

    @Test
    void refusesBadRulesByField() throws Exception {
        String good = "{\"source\":\"meter_log\",\"code\":40,\"severity\":\"major\",\"enabled\":true}";
        assertError(put("/api/alarm-rules", "{"), 400, "body must be a JSON array");
        assertError(put("/api/alarm-rules", "[]"), 400, "disable rules instead");
        assertError(put("/api/alarm-rules", "[" + good.replace("meter_log", "weather") + "]"), 400,
                "rule 0: 'source' must be one of");
        assertError(put("/api/alarm-rules", "[" + good + "," + good.replace("40", "-2") + "]"), 400,
                "rule 1: 'code' must be an event code");
        assertError(put("/api/alarm-rules", "[" + good.replace("major", "bad") + "]"), 400, "'severity' must be");
        assertError(put("/api/alarm-rules", "[" + good.replace(",\"enabled\":true", "") + "]"), 400,
                "'enabled' is missing");
        assertError(put("/api/alarm-rules", "[" + good + "," + good + "]"), 400, "a second rule for source meter_log");
        assertError(put("/api/alarm-rules", "[" + good.replace("}", ",\"colour\":\"red\"}") + "]"), 400,
                "body must be a JSON array");
        assertEquals(AlarmRules.DEFAULTS.size(), ok(get("/api/alarm-rules")).size(), "nothing changed");
        assertEquals(0, number("SELECT COUNT(*) FROM audit_log"));
    }

    @Test
    void servesTheMissingIntervalsOfAGatewaysMetersPerDay() throws Exception {
        JsonNode missing = ok(get("/api/gateways/gw-1/missing?from=2026-11-20&to=2026-11-21"));

        assertEquals("gw-1", missing.get("gatewayId").asText());
        JsonNode m1 = missing.get("meters").get(0);
        assertEquals("M1", m1.get("serial").asText());
        assertEquals(0, m1.get("days").get("2026-11-20").asInt());
        assertEquals(2, m1.get("days").get("2026-11-21").asInt());
        assertEquals(7, ok(get("/api/gateways/gw-1/missing")).get("meters").get(0).get("days").size(),
                "the last seven days by default");
    }

    @Test
    void refusesBadHeatmapRequests() throws Exception {
        assertError(get("/api/gateways/gw-9/missing"), 404, "no gateway gw-9");
        assertError(get("/api/gateways/gw-1/missing?from=21.11.2026"), 400, "'from' must be a day like 2026-11-22, not '21.11.2026'");
        assertError(get("/api/gateways/gw-1/missing?from=2026-11-22&to=2026-11-21"), 400, "is after 'to'");
        assertError(get("/api/gateways/gw-1/missing?from=2026-01-01&to=2026-11-21"), 400, "at most 62 days");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String message) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        String error = JSON.readTree(response.body()).get("error").asText();
        assertTrue(error.contains(message), error);
    }
}

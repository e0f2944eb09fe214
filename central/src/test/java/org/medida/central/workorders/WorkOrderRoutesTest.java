package org.medida.central.workorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.TestDatabases;
import org.medida.central.CentralFixture;
import org.medida.central.db.Database;
import org.medida.central.gateways.Gateways;
import org.medida.central.web.HttpView;
import org.medida.central.web.Operator;
import org.medida.central.web.Role;

/** The work orders' HTTP API on a real HTTP server and SQLite; the gateway stays offline, so orders wait. */
class WorkOrderRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private Database database;
    private WorkOrderService orders;
    private HttpView http;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        database = TestDatabases.open(work.resolve("central.db"));
        Gateways.load(database).register(database, List.of("gw-1"), Instant.now());
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            // Provisioning step (the provisioning helper's API replaces it).
            statement.executeUpdate("INSERT INTO meters (serial, gateway_id, first_seen, state, capabilities) "
                    + "VALUES ('SIM000001', 'gw-1', 0, 'commissioned', 'disconnector,limiter')");
        }
        orders = new WorkOrderService(database, (topic, payload) -> {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
        }, null, CommandKeys.in(work).signer(), Duration.ofMinutes(1), Clock.systemUTC());
        // Stands in for the web helper's login check: a technician is logged in.
        http = HttpView.start(database, "127.0.0.1", 0, List.of(
                routes -> routes.before(ctx -> ctx.attribute("medida.operator", new Operator("tech", Role.TECHNICAL))),
                new WorkOrderRoutes(orders, database, Clock.systemUTC())));
    }

    @AfterEach
    void stop() {
        http.close();
        orders.close();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/api/workorders")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }

    @Test
    void anOrderIsCreatedFoundListedAndAudited() throws Exception {
        HttpResponse<String> created = post("{\"serial\": \"SIM000001\", \"kind\": \"DISCONNECT\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode order = JSON.readTree(created.body());
        assertEquals("PENDING", order.get("state").asText(), "the gateway is offline: the order waits");
        assertEquals("HIGH", order.get("priority").asText());
        assertEquals("user:tech", order.get("origin").asText());
        assertEquals("gw-1", order.get("gatewayId").asText());
        String id = order.get("correlationId").asText();

        JsonNode found = JSON.readTree(get("/api/workorders/" + id).body());
        assertEquals(id, found.get("correlationId").asText());
        assertTrue(Instant.parse(found.get("expiresAt").asText()).isAfter(Instant.now().plusSeconds(3500)));
        assertTrue(found.get("supply").isNull());

        post("{\"serial\": \"SIM000001\", \"kind\": \"set_power_limit\", \"argument\": 5000, \"priority\": \"NORMAL\","
                + " \"expiresInSeconds\": 60}");
        JsonNode listed = JSON.readTree(get("/api/workorders?serial=SIM000001&state=PENDING&limit=10").body());
        assertEquals(2, listed.size());
        assertEquals("SET_POWER_LIMIT", listed.get(0).get("kind").asText(), "newest first");
        assertEquals(5000, listed.get(0).get("argument").asLong());
        assertEquals(2, CentralFixture.number(work.resolve("central.db"),
                "SELECT COUNT(*) FROM audit_log WHERE username = 'tech' AND action = 'workorder.submit'"));
    }

    @Test
    void aFailedValidationIsStillACreatedOrder() throws Exception {
        HttpResponse<String> created = post("{\"serial\": \"SIM000001\", \"kind\": \"SYNC_CLOCK\"}");
        assertEquals(201, created.statusCode());
        JsonNode order = JSON.readTree(created.body());
        assertEquals("FAIL", order.get("state").asText());
        assertEquals("meter SIM000001 does not support SYNC_CLOCK (needs capability clock)",
                order.get("reason").asText());
    }

    @Test
    void badBodiesAndParametersAre400NamingTheField() throws Exception {
        assertBad(post("not json"), "body: not JSON");
        assertBad(post("[1]"), "body: a JSON object");
        assertBad(post("{\"kind\": \"DISCONNECT\"}"), "serial: required");
        assertBad(post("{\"serial\": \"SIM000001\"}"), "kind: required");
        assertBad(post("{\"serial\": \"SIM000001\", \"kind\": \"EXPLODE\"}"), "kind: must be one of");
        assertBad(post("{\"serial\": \"SIM000001\", \"kind\": \"DISCONNECT\", \"priority\": \"URGENT\"}"),
                "priority: must be one of");
        assertBad(post("{\"serial\": \"SIM000001\", \"kind\": \"SET_POWER_LIMIT\"}"), "argument: SET_POWER_LIMIT");
        assertBad(post("{\"serial\": \"SIM000001\", \"kind\": \"DISCONNECT\", \"argument\": -1}"), "argument:");
        assertBad(post("{\"serial\": \"SIM000001\", \"kind\": \"DISCONNECT\", \"expiresInSeconds\": 0}"),
                "expiresInSeconds:");
        assertBad(post("{\"serial\": \"SIM000001\", \"kind\": \"DISCONNECT\", \"colour\": 1}"), "colour: unknown");
        assertBad(get("/api/workorders?state=DONE"), "state: must be one of");
        assertBad(get("/api/workorders?limit=0"), "'limit' must be a whole number from 1 to "
                + WorkOrderRoutes.MAX_LIMIT + ", not '0'");
        assertBad(get("/api/workorders?limit=ten"), "'limit' must be a whole number");
        HttpResponse<String> missing = get("/api/workorders/no-such-id");
        assertEquals(404, missing.statusCode());
        assertEquals("no work order no-such-id", JSON.readTree(missing.body()).get("error").asText());
    }

    private static void assertBad(HttpResponse<String> response, String error) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        String message = JSON.readTree(response.body()).get("error").asText();
        assertTrue(message.startsWith(error), message);
    }

    @Test
    void everyRouteIsDocumented() throws Exception {
        JsonNode paths = JSON.readTree(getClass().getResourceAsStream("/openapi/workorders.json")).get("paths");
        assertTrue(paths.get("/api/workorders").has("post"));
        assertTrue(paths.get("/api/workorders").has("get"));
        assertTrue(paths.get("/api/workorders/{correlationId}").has("get"));
    }
}

package org.medida.central.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.router.Endpoint;
import io.javalin.security.Roles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.Central;
import org.medida.central.CentralFixture;
import org.medida.central.db.Database;
import org.medida.central.events.MissingIntervals;
import org.medida.testing.MosquittoBroker;

/**
 * Walks every route central serves, its own and every feature's as {@code Central.start} wires them: each names a
 * role (or is one of the few open to anyone), and each {@code /api} route is in the OpenAPI document.
 */
class RoutesTest {

    /** The only routes anyone may call: logging in, and the login page's script and style. */
    private static final List<String> OPEN = List.of("GET /login", "POST /login", "GET /assets/{name}");

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private Central central;

    @BeforeEach
    void start() throws Exception {
        broker = MosquittoBroker.start(dir.resolve("broker"));
        central = CentralFixture.start(dir.resolve("central.db"), broker.url(), "gw-1");
    }

    @AfterEach
    void stop() {
        central.close();
        broker.close();
    }

    @Test
    void everyRouteNamesARole() {
        List<String> problems = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (Endpoint endpoint : central.http().endpoints()) {
            String route = endpoint.method + " " + endpoint.path;
            Roles roles = endpoint.metadata(Roles.class);
            if (roles == null || roles.getRoles().isEmpty()) {
                problems.add(route + " names no role");
            } else if (roles.getRoles().contains(Access.ANYONE)) {
                open.add(route);
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(OPEN.stream().sorted().toList(), open.stream().sorted().toList());
    }

    @Test
    void everyApiRouteIsDocumented() throws Exception {
        JsonNode document = JsonBodies.MAPPER.readTree(WebClient.admin(central.httpPort()).get("/api/openapi.json").body());
        assertEquals("3.0.3", document.path("openapi").asText());
        List<String> missing = new ArrayList<>();
        for (Endpoint endpoint : central.http().endpoints()) {
            if (endpoint.path.startsWith("/api/") && document.path("paths").path(endpoint.path)
                    .path(endpoint.method.name().toLowerCase(Locale.ROOT)).isMissingNode()) {
                missing.add(endpoint.method + " " + endpoint.path);
            }
        }
        assertEquals(List.of(), missing, "routes not in central/src/main/resources/openapi/*.json");
        assertTrue(document.path("components").path("schemas").has("User"));
        assertTrue(document.path("components").path("responses").has("ApiError"));
    }

    @Test
    void aFeaturesRoutesGetTheSameChecksAndErrors() throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, CentralFixture.ADMIN_PASSWORD);
        Database database = Database.openSqlite(dir.resolve("other.db"));
        FeatureRoutes feature = routes -> {
            routes.get("/api/forgotten", ctx -> ctx.result("secret"));
            routes.post("/api/echo", ctx -> ctx.json(ctx.bodyAsClass(UserRoutes.UserChange.class)), Role.TECHNICAL);
        };
        try (HttpView view = HttpView.start(database, "127.0.0.1", 0, file, Clock.systemUTC(), new MissingIntervals(
                database, Clock.systemUTC(), MissingIntervals.DEFAULT_GRACE), List.of(feature))) {
            WebClient admin = WebClient.admin(view.port());
            var forgotten = admin.get("/api/forgotten");
            assertEquals(403, forgotten.statusCode());
            assertEquals("{\"error\":\"this route names no role, so nobody may call it\"}", forgotten.body());
            var echo = admin.send("POST", "/api/echo", "{\"role\":\"support\",\"enabled\":true}");
            assertEquals("{\"role\":\"support\",\"enabled\":true,\"password\":null}", echo.body());
            var bad = admin.send("POST", "/api/echo", "{\"enabled\":\"maybe\"}");
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().startsWith("{\"error\":\"'enabled': "), bad.body());
        }
    }

    @Test
    void anOperatorPutOnTheContextEarlierIsTakenAsLoggedIn() throws Exception {
        Database database = Database.openSqlite(dir.resolve("other.db"));
        FeatureRoutes standIn = routes -> {
            routes.before(ctx -> ctx.attribute(Operator.ATTRIBUTE, new Operator("tech", Role.TECHNICAL)));
            routes.put("/api/thing", ctx -> ctx.result(Operator.of(ctx).username()), Role.TECHNICAL);
            routes.put("/api/config", ctx -> ctx.result("changed"), Role.ADMIN);
        };
        try (HttpView view = HttpView.start(database, "127.0.0.1", 0, List.of(standIn))) {
            try (var connection = database.connect()) {
                assertEquals(0, Rows.query(connection, "SELECT username FROM users").size(), "no operator made");
            }
            WebClient client = WebClient.anonymous(view.port());
            // a PUT needs no Origin: other sites cannot send one without a CORS preflight
            var thing = client.send(client.request("/api/thing").PUT(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build());
            assertEquals(200, thing.statusCode(), thing.body());
            assertEquals("tech", thing.body());
            assertEquals(403, client.send("PUT", "/api/config", "{}").statusCode());
        }
    }
}

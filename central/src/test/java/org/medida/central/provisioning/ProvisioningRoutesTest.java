package org.medida.central.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.web.HttpView;
import org.medida.central.web.Operator;
import org.medida.central.web.Role;
import org.medida.central.web.TestOperators;

/** The provisioning API over real HTTP on a real database: every route, and every way to call one wrongly. */
class ProvisioningRoutesTest {

    private static final String METER_BODY = """
            {"serial": "LGZ0000001", "meterType": "E450", "manufacturer": "Landis+Gyr", "firmware": "1.2",
             "connection": "gateway", "gatewayId": "gw-1", "transport": "HDLC", "host": "10.1.1.9", "port": 4059,
             "logicalDevice": 1, "physicalAddress": 17, "channel": "plc-a", "security": "hls5_gmac",
             "encryptionKey": "000102030405060708090a0b0c0d0e0f",
             "authenticationKey": "f0e0d0c0b0a090807060504030201000", "capabilities": ["disconnector", "clock"]}""";

    @TempDir
    Path dir;

    private ProvisioningBench bench;
    private HttpView http;
    private HttpView anonymous;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws Exception {
        bench = new ProvisioningBench(dir, Duration.ofSeconds(60));
        ProvisioningRoutes routes = new ProvisioningRoutes(bench.provisioning, bench.queries);
        http = HttpView.start(bench.database, "127.0.0.1", 0,
                List.of(TestOperators.as(new Operator("tech", Role.TECHNICAL)), routes));
        anonymous = HttpView.start(bench.database, "127.0.0.1", 0, List.of(routes));
    }

    @AfterEach
    void stop() {
        anonymous.close();
        http.close();
        bench.close();
    }

    @Test
    void gatewaysAreCreatedUpdatedAndListed() throws Exception {
        HttpResponse<String> saved = post("/api/gateways", """
                {"id": "gw-1", "hardwareType": "DC450", "substation": "SS-North", "timezone": "Europe/Rome"}""");
        assertEquals(200, saved.statusCode(), saved.body());
        assertTrue(saved.body().contains("\"substation\":\"SS-North\""), saved.body());
        post("/api/gateways", "{\"id\": \"gw-1\", \"substation\": \"SS-South\", \"state\": \"installed\"}");
        String list = get("/api/gateways").body();
        assertTrue(list.startsWith("[{\"id\":\"gw-1\",\"online\":false,\"session\":null,\"statusAt\":null"), list);
        assertTrue(list.contains("\"substation\":\"SS-South\"") && list.contains("\"state\":\"installed\""), list);
        assertEquals(404, get("/api/gateways/gw-9").statusCode());
        assertTrue(get("/api/gateways/gw-1").body().contains("\"meters\":[]"));
        assertEquals("gateway.save", bench.column("SELECT action FROM audit_log").get(1));
    }

    @Test
    void aMeterIsRegisteredShownWithoutSecretsAndFound() throws Exception {
        post("/api/gateways", "{\"id\": \"gw-1\"}");
        HttpResponse<String> registered = post("/api/meters", METER_BODY);
        assertEquals(201, registered.statusCode(), registered.body());
        assertTrue(registered.body().contains("\"state\":\"registered\""), registered.body());
        String detail = get("/api/meters/LGZ0000001").body();
        assertTrue(detail.contains("\"transport\":\"hdlc\"") && detail.contains("\"hasSecrets\":true"), detail);
        assertTrue(detail.contains("\"capabilities\":[\"disconnector\",\"clock\"]"), detail);
        for (String body : List.of(detail, get("/api/meters").body(), get("/api/gateways/gw-1").body())) {
            assertFalse(body.contains("0001020304") || body.contains("f0e0d0c0") || body.contains("secrets_encrypted")
                    || body.contains("\"encryptionKey\""), body);
        }
        String list = get("/api/meters?q=gz00&gateway=gw-1&state=registered&limit=10").body();
        assertTrue(list.startsWith("[{\"serial\":\"LGZ0000001\",\"gateway\":\"gw-1\",\"firstSeen\":"), list);
        assertTrue(list.contains("\"intervalValues\":0,\"readings\":0,\"events\":0,\"lastValues\":[]"), list);
        assertEquals("[]", get("/api/meters?state=commissioned").body());
        assertEquals("[]", get("/api/meters?q=100%25").body());
    }

    @Test
    void lifecycleUsagePointContractAndGroupRoutesWork() throws Exception {
        post("/api/gateways", "{\"id\": \"gw-1\"}");
        post("/api/gateways", "{\"id\": \"gw-2\"}");
        post("/api/meters", METER_BODY);
        HttpResponse<String> commission = post("/api/meters/LGZ0000001/commission", "");
        assertEquals(202, commission.statusCode(), commission.body());
        assertTrue(commission.body().contains("\"correlationIds\":[\""), commission.body());
        assertError(post("/api/meters/LGZ0000001/relink", "{\"gatewayId\": \"gw-2\"}"), 409,
                "waits for gateway gw-1 to answer inventory change");
        assertEquals(202, post("/api/meters/LGZ0000001/decommission", "").statusCode());
        String changes = get("/api/meters/LGZ0000001").body();
        assertTrue(changes.contains("\"action\":\"commission\",\"state\":\"PENDING\""), changes);

        HttpResponse<String> linked = post("/api/meters/LGZ0000001/usage-point",
                "{\"pod\": \"IT001E00000001\", \"address\": \"Via Roma 1\"}");
        assertEquals(200, linked.statusCode(), linked.body());
        assertTrue(linked.body().contains("\"usagePoint\":{\"pod\":\"IT001E00000001\",\"address\":\"Via Roma 1\""),
                linked.body());
        HttpResponse<String> unlinked = send(HttpRequest.newBuilder(uri(http, "/api/meters/LGZ0000001/usage-point"))
                .DELETE().build());
        assertEquals(200, unlinked.statusCode(), unlinked.body());
        assertTrue(unlinked.body().contains("\"usagePoint\":null"), unlinked.body());

        HttpResponse<String> contract = post("/api/meters/LGZ0000001/contract",
                "{\"contractProfile\": \"residential\", \"contractState\": \"active\", \"tariffProfile\": \"TOU\"}");
        assertEquals(200, contract.statusCode(), contract.body());
        assertTrue(contract.body().contains("\"contractState\":\"active\""), contract.body());

        HttpResponse<String> group = post("/api/groups/north/meters", "{\"serials\": [\"LGZ0000001\"]}");
        assertEquals("{\"group\":\"north\",\"added\":1}", group.body());
        assertEquals(List.of("gateway.save", "gateway.save", "meter.register", "meter.commission",
                "meter.decommission", "meter.usage_point.link", "meter.usage_point.unlink", "meter.contract",
                "group.add"), bench.column("SELECT action FROM audit_log ORDER BY audit_id"));
        assertEquals(List.of("tech"), bench.column("SELECT DISTINCT username FROM audit_log"));
    }

    @Test
    void badRequestsAreAnsweredWithWhatIsWrong() throws Exception {
        post("/api/gateways", "{\"id\": \"gw-1\"}");
        post("/api/meters", METER_BODY);
        assertError(post("/api/meters", "{\"serial\": \"X\", \"port\": \"many\"}"), 400, "field 'port'");
        assertError(post("/api/meters", "{\"serial\": \"X\", \"colour\": \"red\"}"), 400, "field 'colour'");
        assertError(post("/api/meters", "not json"), 400, "not a valid MeterRegistration");
        assertError(post("/api/meters", ""), 400, "a JSON body is required");
        assertError(post("/api/meters", "null"), 400, "not a valid MeterRegistration");
        assertError(post("/api/meters", "{\"serial\": \"X\", \"gatewayId\": \"gw-1\", \"transport\": \"hdlc\", "
                + "\"host\": \"h\", \"port\": 1, \"security\": \"lls\"}"), 400, "password is required");
        assertError(post("/api/gateways", "{\"id\": \"gw 1\"}"), 400, "id must be 1 to 64");
        assertError(post("/api/gateways", "{\"id\": \"gw-1\", \"state\": \"lost\"}"), 400, "state must be one of");
        assertError(get("/api/meters?limit=0"), 400, "'limit' must be a whole number from 1 to 5000, not '0'");
        assertError(get("/api/meters?limit=ten"), 400, "'limit' must be a whole number from 1 to 5000, not 'ten'");
        assertError(get("/api/meters?state=broken"), 400, "state must be one of");
        assertError(get("/api/meters/NOBODY"), 404, "no meter NOBODY");
        assertError(post("/api/meters/NOBODY/commission", ""), 404, "no meter NOBODY");
        assertError(post("/api/meters/LGZ0000001/relink", "{}"), 400, "gatewayId is required");
        assertError(post("/api/meters/LGZ0000001/relink", "{\"gatewayId\": \"gw-1\"}"), 409, "already");
        assertError(post("/api/meters/LGZ0000001/usage-point", "{\"address\": \"x\"}"), 400, "pod is required");
        assertError(send(HttpRequest.newBuilder(uri(http, "/api/meters/LGZ0000001/usage-point")).DELETE().build()),
                409, "serves no usage point");
        assertError(post("/api/meters/LGZ0000001/contract", "{\"contractProfile\": \"p\"}"), 400, "contractState");
        assertError(post("/api/groups/north/meters", "{\"serials\": [\"GHOST\"]}"), 400, "unknown meters GHOST");
        assertError(post("/api/groups/north/meters", "{\"serials\": []}"), 400, "serials must list");
        assertEquals(2, bench.column("SELECT action FROM audit_log").size(), "refused requests change nothing");
    }

    @Test
    void changesNeedALoggedInOperator() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(anonymous, "/api/gateways"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"gw-1\"}")).build());
        assertEquals(401, response.statusCode(), response.body());
        assertEquals("0", bench.text("SELECT COUNT(*) FROM gateways"));
    }

    private static void assertError(HttpResponse<String> response, int status, String fragment) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("{\"error\":") && response.body().contains(fragment), response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(http, path)).GET().build());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(http, path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(HttpView view, String path) {
        return URI.create("http://127.0.0.1:" + view.port() + path);
    }
}

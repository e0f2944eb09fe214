package org.medida.central.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.Central;
import org.medida.central.CentralFixture;
import org.medida.central.SampleBatches;
import org.medida.central.TestGateway;
import org.medida.testing.MosquittoBroker;

/** The HTTP view over real HTTP, showing what a real gateway sent through a real broker. */
class HttpViewTest {

    private static final String METER = "LGZ<&>\"1";

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private Central central;
    private WebClient web;

    @BeforeEach
    void start() throws Exception {
        broker = MosquittoBroker.start(dir.resolve("broker"));
        central = CentralFixture.start(dir.resolve("central.db"), broker.url(), "gw-1", "gw-2");
        try (TestGateway gateway = TestGateway.connect(broker.url(), "gw-1")) {
            gateway.sendStatus(true, 3);
            gateway.send(SampleBatches.intervals(1, METER, 1, 96));
            gateway.awaitAck();
            gateway.send(SampleBatches.billing(2, METER));
            gateway.awaitAck();
        }
        web = WebClient.admin(central.httpPort());
    }

    @AfterEach
    void stop() {
        central.close();
        broker.close();
    }

    @Test
    void listsGatewaysAsJson() throws Exception {
        HttpResponse<String> response = get("/api/gateways");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        assertTrue(response.body().startsWith("[{\"id\":\"gw-1\",\"online\":true,\"session\":3,"), response.body());
        assertTrue(response.body().contains("{\"id\":\"gw-2\",\"online\":false,\"session\":null,\"statusAt\":null"),
                response.body());
    }

    @Test
    void listsMetersWithCountsAndExactLastValues() throws Exception {
        String body = get("/api/meters").body();
        assertTrue(body.startsWith("[{\"serial\":\"LGZ<&>\\\"1\",\"gateway\":\"gw-1\""), body);
        assertTrue(body.contains("\"intervalValues\":192,\"readings\":4,\"events\":0"), body);
        assertTrue(body.contains("\"readingType\":\"0.0.2.1.1.1.12.0.0.0.0.0.0.0.0.0.72.0\",\"description\":"
                + "\"15-min forward active energy (Wh)\",\"at\":\"2026-11-22T00:00:00Z\",\"value\":12369678.500}"), body);
    }

    @Test
    void servesAMetersIntervalsInARange() throws Exception {
        String path = "/api/meters/" + encoded(METER) + "/intervals?from=2026-11-21T00:00:00Z&to=2026-11-21T00:30:00Z";
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"serial\":\"LGZ<&>\\\"1\",\"from\":\"2026-11-21T00:00:00Z\",\"to\":\"2026-11-21T00:30:00Z\","
                + "\"values\":["
                + "{\"readingType\":\"0.0.2.1.1.1.12.0.0.0.0.0.0.0.0.0.72.0\",\"end\":\"2026-11-21T00:15:00Z\",\"value\":12345928.500,\"status\":0},"
                + "{\"readingType\":\"0.0.2.1.19.1.12.0.0.0.0.0.0.0.0.0.72.0\",\"end\":\"2026-11-21T00:15:00Z\",\"value\":45.778,\"status\":0},"
                + "{\"readingType\":\"0.0.2.1.1.1.12.0.0.0.0.0.0.0.0.0.72.0\",\"end\":\"2026-11-21T00:30:00Z\",\"value\":12346178.500,\"status\":0},"
                + "{\"readingType\":\"0.0.2.1.19.1.12.0.0.0.0.0.0.0.0.0.72.0\",\"end\":\"2026-11-21T00:30:00Z\",\"value\":45.878,\"status\":0}]}",
                response.body());
    }

    @Test
    void badParametersAreA400ThatSaysWhy() throws Exception {
        String intervals = "/api/meters/" + encoded(METER) + "/intervals";
        HttpResponse<String> notAnInstant = get(intervals + "?from=yesterday");
        assertEquals(400, notAnInstant.statusCode());
        assertTrue(notAnInstant.body().contains(
                "'from' must be an ISO-8601 instant like 2026-11-22T00:00:00Z, not 'yesterday'"), notAnInstant.body());
        HttpResponse<String> backwards = get(intervals + "?from=2026-11-22T00:00:00Z&to=2026-11-21T00:00:00Z");
        assertEquals(400, backwards.statusCode());
        assertTrue(backwards.body().contains("must be before"), backwards.body());
        HttpResponse<String> tooLong = get(intervals + "?from=2026-01-01T00:00:00Z&to=2026-11-21T00:00:00Z");
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.body().contains("at most 31 days"), tooLong.body());
        HttpResponse<String> unknown = get("/api/meters/nobody/intervals");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("no meter nobody"), unknown.body());
    }

    @Test
    void pagesEscapeWhatTheyShowAndSayWhatIsWrong() throws Exception {
        HttpResponse<String> meters = get("/meters?q=" + encoded("<&>"));
        assertEquals(200, meters.statusCode());
        assertTrue(meters.body().contains(">LGZ&lt;&amp;&gt;&quot;1</a>"), meters.body());
        assertTrue(meters.body().contains("value=\"&lt;&amp;&gt;\""), meters.body());
        assertTrue(!meters.body().contains("LGZ<&>"), "nothing from the data unescaped");
        assertTrue(meters.headers().firstValue("content-security-policy").orElse("").contains("script-src 'self'"));
        HttpResponse<String> meter = get("/meters/" + encoded(METER));
        assertEquals(200, meter.statusCode());
        assertTrue(meter.body().contains("<h1>Meter LGZ&lt;&amp;&gt;&quot;1</h1>"), meter.body());
        assertTrue(meter.body().contains("<td>12345.678</td>"), "the daily closure, exactly");
        HttpResponse<String> unknown = get("/meters/nobody");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("<p class=\"error\">no meter nobody</p>"), unknown.body());
        assertEquals(404, get("/plans/first").statusCode());
        assertEquals(404, get("/gateways/gw-9").statusCode());
        HttpResponse<String> badLimit = get("/audit?limit=all");
        assertEquals(400, badLimit.statusCode());
        assertTrue(badLimit.body().contains("&#39;limit&#39; must be a whole number from 1 to 5000, not &#39;all&#39;"),
                badLimit.body());
        HttpResponse<String> fleet = get("/");
        assertTrue(fleet.body().contains("<span class=\"value\">1 / 2</span>"), fleet.body());
        assertEquals(200, get("/docs/api").statusCode());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return web.get(path);
    }

    private static String encoded(String text) {
        return WebClient.encoded(text);
    }
}

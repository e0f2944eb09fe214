package org.medida.central.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;


import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.Central;
import org.medida.central.CentralFixture;
import org.medida.testing.MosquittoBroker;

/** Login, roles, sessions, CSRF, throttling, the users API and the audit log, over real HTTP on a real central. */
class OperatorsTest {

    private static final String SUPPORT_PASSWORD = "support password 1";

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private Central central;
    private WebClient admin;

    @BeforeEach
    void start() throws Exception {
        broker = MosquittoBroker.start(dir.resolve("broker"));
        central = CentralFixture.start(dir.resolve("central.db"), broker.url(), "gw-1");
        admin = WebClient.admin(central.httpPort());
    }

    @AfterEach
    void stop() {
        central.close();
        broker.close();
    }

    @Test
    void nobodyGetsInWithoutLoggingIn() throws Exception {
        WebClient anonymous = WebClient.anonymous(central.httpPort());
        HttpResponse<String> api = anonymous.get("/api/meters/M1/intervals");
        assertEquals(401, api.statusCode());
        assertEquals("{\"error\":\"log in first\"}", api.body());
        HttpResponse<String> page = anonymous.get("/meters?q=M");
        assertEquals(303, page.statusCode());
        assertEquals("/login?next=%2Fmeters%3Fq%3DM", page.headers().firstValue("location").orElseThrow());
        assertEquals(200, anonymous.get("/login").statusCode());
        assertEquals(200, anonymous.get("/assets/dashboard.js").statusCode());
        assertEquals(404, anonymous.get("/assets/..%2Fpsw4j.properties").statusCode());
    }

    @Test
    void aWrongPasswordIsRefusedAndAudited() throws Exception {
        WebClient anonymous = WebClient.anonymous(central.httpPort());
        HttpResponse<String> json = anonymous.send("POST", "/login", "{\"username\":\"admin\",\"password\":\"guess\"}");
        assertEquals(401, json.statusCode());
        assertEquals("{\"error\":\"wrong user name or password\"}", json.body());
        HttpResponse<String> form = anonymous.send(form(anonymous, "/login", "username=nobody&password=guess"));
        assertEquals(401, form.statusCode());
        assertTrue(form.body().contains("id=\"login-error\">wrong user name or password"), form.body());
        String audit = admin.get("/api/audit?action=login.failed").body();
        assertTrue(audit.contains("\"username\":\"admin\",\"action\":\"login.failed\""), audit);
        assertTrue(audit.contains("\"username\":\"nobody\""), audit);
        assertFalse(audit.contains("guess"), "no password in the audit log: " + audit);
    }

    @Test
    void aFormLoginSetsAStrictHttpOnlyCookieAndGoesWhereAsked() throws Exception {
        WebClient browser = WebClient.anonymous(central.httpPort());
        HttpResponse<String> response = browser.send(form(browser, "/login",
                "username=admin&password=" + WebClient.encoded(CentralFixture.ADMIN_PASSWORD) + "&next=%2Fmeters"));
        assertEquals(303, response.statusCode(), response.body());
        assertEquals("/meters", response.headers().firstValue("location").orElseThrow());
        String cookie = response.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(cookie.startsWith(Sessions.COOKIE + "="), cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertEquals(200, browser.get("/meters").statusCode());
        // only the token's hash is stored
        String token = cookie.substring(Sessions.COOKIE.length() + 1, cookie.indexOf(';'));
        assertEquals(0, CentralFixture.number(dir.resolve("central.db"),
                "SELECT COUNT(*) FROM sessions WHERE token_hash = '" + token + "'"));
        assertTrue(CentralFixture.text(dir.resolve("central.db"),
                "SELECT password_hash FROM users WHERE username = 'admin'").startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        // another site is never a place to go back to
        assertEquals("/", LoginRoutes.safeNext("//evil.example/"));
        assertEquals("/", LoginRoutes.safeNext("https://evil.example/"));
        assertEquals("/", LoginRoutes.safeNext("/\\evil.example"));
    }

    @Test
    void rolesAreEnforcedOnTheServer() throws Exception {
        createSupport();
        WebClient support = WebClient.loggedIn(central.httpPort(), "sam", SUPPORT_PASSWORD);
        assertEquals(200, support.get("/").statusCode());
        assertEquals(200, support.get("/api/openapi.json").statusCode());
        HttpResponse<String> users = support.get("/api/users");
        assertEquals(403, users.statusCode());
        assertEquals("{\"error\":\"needs the admin role; sam is support\"}", users.body());
        assertEquals(403, support.send("POST", "/api/users",
                "{\"username\":\"eve\",\"role\":\"admin\",\"password\":\"0123456789ab\"}").statusCode());
        assertEquals(403, support.get("/users").statusCode());
        // promoted: the same session has the new role at once
        assertEquals(200, admin.send("PUT", "/api/users/sam", "{\"role\":\"admin\"}").statusCode());
        assertEquals(200, support.get("/api/users").statusCode());
    }

    @Test
    void disablingAnOperatorEndsTheirSessionsAndLogins() throws Exception {
        createSupport();
        WebClient support = WebClient.loggedIn(central.httpPort(), "sam", SUPPORT_PASSWORD);
        HttpResponse<String> disabled = admin.send("PUT", "/api/users/sam", "{\"enabled\":false}");
        assertEquals(200, disabled.statusCode(), disabled.body());
        assertTrue(disabled.body().contains("\"enabled\":false"), disabled.body());
        assertEquals(401, support.get("/api/openapi.json").statusCode());
        assertEquals(401, WebClient.anonymous(central.httpPort()).send("POST", "/login",
                "{\"username\":\"sam\",\"password\":\"" + SUPPORT_PASSWORD + "\"}").statusCode());
        assertEquals(200, admin.send("PUT", "/api/users/sam", "{\"enabled\":true,\"password\":\"a new password\"}")
                .statusCode());
        WebClient.loggedIn(central.httpPort(), "sam", "a new password");
        String audit = admin.get("/api/audit?user=admin&action=user.update").body();
        assertTrue(audit.contains("\"detail\":\"enabled=true, password reset\""), audit);
        assertTrue(audit.contains("\"detail\":\"enabled=false\""), audit);
        assertFalse(audit.contains("a new password"), audit);
    }

    @Test
    void badUserBodiesAreA400NamingTheField() throws Exception {
        assertError(admin.send("POST", "/api/users", "{\"username\":\"x\",\"role\":\"boss\",\"password\":\"0123456789\"}"),
                400, "'role' must be admin, technical or support, not boss");
        assertError(admin.send("POST", "/api/users", "{\"username\":\"x\",\"role\":\"support\",\"password\":\"short\"}"),
                400, "'password' must have at least 10 characters");
        assertError(admin.send("POST", "/api/users", "{\"username\":\"a b\",\"role\":\"support\",\"password\":\"0123456789\"}"),
                400, "'username' must be 1 to 64 letters, digits, '.', '_' or '-'");
        assertError(admin.send("POST", "/api/users", "{\"username\":"), 400, "the body is not JSON");
        assertError(admin.send("PUT", "/api/users/admin", "{\"enabled\":\"maybe\"}"), 400, "'enabled': ");
        assertError(admin.send("PUT", "/api/users/admin", "{}"), 400, "nothing to change");
        assertError(admin.send("PUT", "/api/users/admin", "{\"role\":\"support\"}"), 400, "you cannot disable or demote yourself");
        assertError(admin.send("PUT", "/api/users/ghost", "{\"enabled\":true}"), 404, "no operator ghost");
        createSupport();
        assertError(admin.send("POST", "/api/users", "{\"username\":\"sam\",\"role\":\"support\",\"password\":\"0123456789\"}"),
                409, "operator sam exists already");
        assertError(admin.get("/api/audit?limit=0"), 400, "'limit' must be a whole number from 1 to 5000, not '0'");
        assertError(admin.get("/api/nothing"), 404, "Endpoint GET /api/nothing not found");
    }

    @Test
    void crossSiteStateChangesAreRefused() throws Exception {
        HttpResponse<String> formWithoutOrigin = admin.send(admin.request("/api/users")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=eve")).build());
        assertError(formWithoutOrigin, 403, "a state-changing request needs Content-Type: application/json or an Origin header of this site");
        HttpResponse<String> otherSite = admin.send(admin.request("/api/users").header("Content-Type", "application/json")
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertError(otherSite, 403, "cross-site request refused: Origin http://evil.example is not this site");
        assertEquals(0, CentralFixture.number(dir.resolve("central.db"), "SELECT COUNT(*) FROM users WHERE username = 'eve'"));
    }

    @Test
    void repeatedFailuresLockTheNameEvenForTheRightPassword() throws Exception {
        WebClient anonymous = WebClient.anonymous(central.httpPort());
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertEquals(401, anonymous.send("POST", "/login", "{\"username\":\"admin\",\"password\":\"guess " + i + "\"}")
                    .statusCode());
        }
        HttpResponse<String> locked = anonymous.send("POST", "/login", "{\"username\":\"admin\",\"password\":\""
                + CentralFixture.ADMIN_PASSWORD + "\"}");
        assertError(locked, 429, "too many failed logins: try again in ");
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        WebClient operator = WebClient.admin(central.httpPort());
        assertEquals(204, operator.send("POST", "/logout", null).statusCode());
        assertEquals(401, operator.get("/api/users").statusCode());
        String audit = admin.get("/api/audit?action=logout").body();
        assertTrue(audit.contains("\"username\":\"admin\",\"action\":\"logout\""), audit);
    }

    private void createSupport() throws Exception {
        HttpResponse<String> created = admin.send("POST", "/api/users", "{\"username\":\"sam\",\"role\":\"support\","
                + "\"password\":\"" + SUPPORT_PASSWORD + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().startsWith("{\"username\":\"sam\",\"role\":\"support\",\"enabled\":true,\"createdAt\":\"20"),
                created.body());
        String audit = admin.get("/api/audit?action=user.create").body();
        assertTrue(audit.contains("\"username\":\"admin\",\"action\":\"user.create\",\"target\":\"sam\","
                + "\"detail\":\"role=support\""), audit);
    }

    private static HttpRequest form(WebClient client, String path, String body) {
        return client.request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://127.0.0.1:" + client.request("/").build().uri().getPort())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static void assertError(HttpResponse<String> response, int status, String message) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("{\"error\":\"" + message.replace("\"", "\\\"")), response.body());
    }

}

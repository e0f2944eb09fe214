package org.medida.central.web;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.medida.central.CentralFixture;

/**
 * An HTTP client of central's API for tests, with its own cookie jar: log in once, then call the API as that
 * operator. Bodies are JSON (as the dashboard sends them).
 */
public final class WebClient {

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(10)).build();

    private WebClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A client that is not logged in. */
    public static WebClient anonymous(int port) {
        return new WebClient(port);
    }

    /** A client logged in as {@code admin} of a central started by {@link CentralFixture}. */
    public static WebClient admin(int port) throws IOException, InterruptedException {
        return loggedIn(port, "admin", CentralFixture.ADMIN_PASSWORD);
    }

    public static WebClient loggedIn(int port, String username, String password)
            throws IOException, InterruptedException {
        WebClient client = new WebClient(port);
        HttpResponse<String> response = client.send("POST", "/login", "{\"username\":" + quote(username)
                + ",\"password\":" + quote(password) + "}");
        if (response.statusCode() != 200) {
            throw new AssertionError("login as " + username + ": " + response.statusCode() + " " + response.body());
        }
        return client;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code method} with a JSON body ({@code null}: none). */
    public HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request built by the test itself (other headers, form bodies), sent with this client's cookies. */
    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    }

    public static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

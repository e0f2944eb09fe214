package org.medida.central.plans;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * An external system's webhook on a free port (JDK HttpServer): answers 503 to the first {@code failures} POSTs,
 * then 204; keeps every POST it took, keyed by its idempotency key as a receiver would.
 */
final class WebhookReceiver implements AutoCloseable {

    /** A POST as received. */
    record Received(String idempotencyKey, String contentType, String body) {
    }

    private final HttpServer server;
    private final AtomicInteger failuresLeft;
    private final List<Received> taken = new ArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();

    WebhookReceiver(int failures) throws IOException {
        failuresLeft = new AtomicInteger(failures);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/results", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int status;
            if (!"POST".equals(exchange.getRequestMethod())) {
                status = 405;
            } else if (failuresLeft.getAndDecrement() > 0) {
                refused.incrementAndGet();
                status = 503;
            } else {
                synchronized (taken) {
                    taken.add(new Received(exchange.getRequestHeaders().getFirst(ResultDeliverer.IDEMPOTENCY_KEY),
                            exchange.getRequestHeaders().getFirst("Content-Type"), body));
                }
                status = 204;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/results");
    }

    List<Received> taken() {
        synchronized (taken) {
            return List.copyOf(taken);
        }
    }

    int refused() {
        return refused.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

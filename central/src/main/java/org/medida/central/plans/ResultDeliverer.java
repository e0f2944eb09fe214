package org.medida.central.plans;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.medida.central.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers plan results to the external system (P3, P4): each queued delivery is POSTed as JSON to the webhook, in
 * delivery order, with its id in the {@value #IDEMPOTENCY_KEY} header (a delivery sent again after a crash between
 * the answer and its record carries the same key, so the receiver keeps it once). A delivery the webhook does not
 * take (no answer, or not 2xx) stays queued and is re-injected after {@code retryAfter}; the ones behind it wait, so
 * the order holds. Nothing is dropped.
 */
final class ResultDeliverer {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Logger LOG = LoggerFactory.getLogger(ResultDeliverer.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private record Due(long id, String payload, int attempts, long nextAttemptAt) {
    }

    private final Database database;
    private final URI webhook;
    private final Duration retryAfter;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    ResultDeliverer(Database database, URI webhook, Duration retryAfter, Clock clock) {
        this.database = database;
        this.webhook = Objects.requireNonNull(webhook, "webhook");
        this.retryAfter = retryAfter;
        this.clock = clock;
        if (retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("re-injection delay must be positive: " + retryAfter);
        }
    }

    /** Delivers the queued results that are due, oldest first, until one fails; returns how many it delivered. */
    int deliverDue() throws SQLException, InterruptedException {
        int delivered = 0;
        while (true) {
            Optional<Due> next = oldestUndelivered();
            if (next.isEmpty() || next.get().nextAttemptAt() > clock.millis()) {
                return delivered;
            }
            Due due = next.get();
            String error = post(due);
            if (error != null) {
                Instant retry = clock.instant().plus(retryAfter);
                record(due, "UPDATE deliveries SET attempts = ?, next_attempt_at = ?, last_error = ? "
                        + "WHERE delivery_id = ?", retry.toEpochMilli(), error);
                LOG.warn("Delivery {} to {} failed ({}), attempt {}; re-injected at {}", due.id(), webhook, error,
                        due.attempts() + 1, retry);
                return delivered;
            }
            record(due, "UPDATE deliveries SET attempts = ?, delivered_at = ?, last_error = ? WHERE delivery_id = ?",
                    clock.millis(), "");
            delivered++;
        }
    }

    /** POSTs the delivery; null when the webhook took it, else what went wrong. */
    private String post(Due due) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(webhook).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header(IDEMPOTENCY_KEY, Long.toString(due.id()))
                .POST(HttpRequest.BodyPublishers.ofString(due.payload())).build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? null : "HTTP " + status;
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    private Optional<Due> oldestUndelivered() throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement("SELECT delivery_id, payload, attempts, "
                        + "next_attempt_at FROM deliveries WHERE delivered_at IS NULL ORDER BY delivery_id LIMIT 1");
                ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(new Due(rows.getLong(1), rows.getString(2), rows.getInt(3),
                    rows.getLong(4))) : Optional.empty();
        }
    }

    private void record(Due due, String sql, long at, String error) throws SQLException {
        try (Connection connection = database.connect(); PreparedStatement update = connection.prepareStatement(sql)) {
            update.setInt(1, due.attempts() + 1);
            update.setLong(2, at);
            update.setString(3, error);
            update.setLong(4, due.id());
            update.executeUpdate();
        }
    }
}

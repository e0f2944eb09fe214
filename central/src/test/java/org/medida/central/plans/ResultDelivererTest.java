package org.medida.central.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.SettableClock;
import org.medida.testing.FreePorts;

/**
 * P3, P4 over real HTTP: results go to the webhook in order, each once, with its idempotency key; a result the
 * webhook does not take is re-injected after the delay, never before, never lost, and holds up the ones behind it.
 */
class ResultDelivererTest {

    private static final Duration RETRY = Duration.ofHours(1);

    @TempDir
    Path dir;

    private PlanFleet fleet;
    private final SettableClock clock = new SettableClock(PlanFleet.at("2026-11-22T09:00:00Z"));
    private WebhookReceiver webhook;

    @BeforeEach
    void setUp() throws Exception {
        fleet = new PlanFleet(dir);
        try (Connection connection = fleet.database.connect()) {
            for (int i = 1; i <= 3; i++) {
                PlanStore.queueDelivery(connection, "co-" + i, 1, "{\"n\":" + i + "}", clock.instant());
            }
        }
    }

    @AfterEach
    void tearDown() {
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void deliversInOrderOnceEachWithTheDeliveryIdAsIdempotencyKey() throws Exception {
        webhook = new WebhookReceiver(0);
        ResultDeliverer deliverer = new ResultDeliverer(fleet.database, webhook.url(), RETRY, clock);
        assertEquals(3, deliverer.deliverDue());
        assertEquals(0, deliverer.deliverDue(), "delivered once");
        assertEquals(List.of(new WebhookReceiver.Received("1", "application/json", "{\"n\":1}"),
                new WebhookReceiver.Received("2", "application/json", "{\"n\":2}"),
                new WebhookReceiver.Received("3", "application/json", "{\"n\":3}")), webhook.taken());
        long now = clock.millis();
        assertEquals(List.of("1|1|" + now + "|", "2|1|" + now + "|", "3|1|" + now + "|"),
                fleet.rows("SELECT delivery_id, attempts, delivered_at, last_error FROM deliveries"));
    }

    @Test
    void aRefusedResultIsReinjectedAfterTheDelayAndTheOthersWaitBehindIt() throws Exception {
        webhook = new WebhookReceiver(2);
        ResultDeliverer deliverer = new ResultDeliverer(fleet.database, webhook.url(), RETRY, clock);
        assertEquals(0, deliverer.deliverDue());
        assertEquals("1|HTTP 503|" + clock.instant().plus(RETRY).toEpochMilli(),
                fleet.one("SELECT attempts, last_error, next_attempt_at FROM deliveries WHERE delivery_id = 1"));
        clock.advance(RETRY.minusSeconds(1));
        assertEquals(0, deliverer.deliverDue(), "not before the delay");
        assertEquals(1, webhook.refused());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, deliverer.deliverDue(), "refused again");
        clock.advance(RETRY);
        assertEquals(3, deliverer.deliverDue());
        assertEquals(List.of("1", "2", "3"), webhook.taken().stream().map(WebhookReceiver.Received::idempotencyKey)
                .toList(), "in order, each once");
        assertEquals("3|", fleet.one("SELECT attempts, last_error FROM deliveries WHERE delivery_id = 1"));
    }

    @Test
    void anUnreachableWebhookKeepsEveryResult() throws Exception {
        URI nobody = URI.create("http://127.0.0.1:" + FreePorts.next() + "/results");
        ResultDeliverer deliverer = new ResultDeliverer(fleet.database, nobody, RETRY, clock);
        assertEquals(0, deliverer.deliverDue());
        String error = fleet.one("SELECT last_error FROM deliveries WHERE delivery_id = 1");
        assertTrue(error.startsWith("ConnectException"), error);
        assertEquals(3, fleet.rows("SELECT * FROM deliveries WHERE delivered_at IS NULL").size());
    }

    @Test
    void refusesANonPositiveDelay() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ResultDeliverer(fleet.database, URI.create("http://127.0.0.1/"), Duration.ZERO, clock));
        assertEquals("re-injection delay must be positive: PT0S", e.getMessage());
    }
}

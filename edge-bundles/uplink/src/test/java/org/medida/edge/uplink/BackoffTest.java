package org.medida.edge.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(5);

    @Test
    void pausesDoubleWithJitterWithinTheBoundsAndStartOverAfterAConnection() {
        Backoff backoff = new Backoff(MIN, MAX, new Random(42));
        long step = MIN.toMillis();
        for (int attempt = 0; attempt < 12; attempt++) {
            long pause = backoff.next().toMillis();
            long ceiling = Math.min(step, MAX.toMillis());
            assertTrue(pause >= Math.max(MIN.toMillis(), ceiling / 2) && pause <= ceiling,
                    "attempt " + attempt + ": " + pause + " ms outside " + ceiling / 2 + ".." + ceiling);
            step *= 2;
        }
        backoff.reset();
        assertEquals(MIN, backoff.next());
    }

    @Test
    void jitterSpreadsAFleetThatLostTheBrokerTogether() {
        long distinct = new Random(7).ints(50).mapToObj(seed -> new Backoff(MIN, MAX, new Random(seed)))
                .peek(Backoff::next).peek(Backoff::next).peek(Backoff::next)
                .map(Backoff::next).distinct().count();
        assertTrue(distinct > 25, "only " + distinct + " distinct pauses among 50 gateways");
    }
}

package org.medida.edge.uplink;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Pauses between connection attempts: doubling from the minimum up to the maximum, each drawn at random from the
 * upper half of its step ("equal jitter"), so that a fleet of gateways that lost the broker together does not
 * come back in lockstep.
 */
final class Backoff {

    private final Duration min;
    private final Duration max;
    private final RandomGenerator random;
    private int failures;

    Backoff(Duration min, Duration max, RandomGenerator random) {
        this.min = min;
        this.max = max;
        this.random = random;
    }

    /** The pause before the next attempt; each call counts one more failed attempt. */
    Duration next() {
        long ceiling = max.toMillis();
        long step = min.toMillis() << Math.min(failures, 30);
        step = step <= 0 || step > ceiling ? ceiling : step;
        failures++;
        long half = step / 2;
        return Duration.ofMillis(Math.max(min.toMillis(), half + random.nextLong(step - half + 1)));
    }

    /** Connected: the next loss starts again from the minimum. */
    void reset() {
        failures = 0;
    }
}

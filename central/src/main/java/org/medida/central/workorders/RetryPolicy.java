package org.medida.central.workorders;

import java.time.Duration;
import java.util.Objects;

/**
 * How often an order is tried (W4): up to {@code maxAttempts} attempts, the next one {@code retryAfter} after a
 * failed one, all before the order's expiry.
 */
public record RetryPolicy(int maxAttempts, Duration retryAfter) {

    /** One attempt, no retry. */
    public static final RetryPolicy ONCE = new RetryPolicy(1, Duration.ZERO);

    public RetryPolicy {
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("attempts must be 1 to 100: " + maxAttempts);
        }
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retry delay is negative: " + retryAfter);
        }
    }
}

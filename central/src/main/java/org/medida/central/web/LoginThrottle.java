package org.medida.central.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@link #FREE_FAILURES} failed logins in a row for one key (a user name, or
 * a client address) further attempts are refused, without checking the password, for a lock that doubles with
 * each further failure from {@link #FIRST_LOCK} up to {@link #LONGEST_LOCK}. A successful login clears the key.
 */
final class LoginThrottle {

    static final int FREE_FAILURES = 5;
    static final Duration FIRST_LOCK = Duration.ofSeconds(30);
    static final Duration LONGEST_LOCK = Duration.ofMinutes(15);
    /** Bounds the memory a flood of made-up names can take: past this, keys whose lock is over are dropped. */
    private static final int MAX_KEYS = 10_000;

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long {@code key} must still wait before its next attempt; zero if it may try now. */
    Duration wait(String key) {
        Failures current = failures.get(key);
        if (current == null || current.lockedUntil() == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), current.lockedUntil());
        return left.isNegative() ? Duration.ZERO : left;
    }

    void failed(String key) {
        if (failures.size() >= MAX_KEYS) {
            Instant now = clock.instant();
            failures.values().removeIf(f -> f.lockedUntil() == null || f.lockedUntil().isBefore(now));
        }
        failures.compute(key, (k, previous) -> {
            int count = previous == null ? 1 : previous.count() + 1;
            if (count < FREE_FAILURES) {
                return new Failures(count, null);
            }
            int doublings = Math.min(count - FREE_FAILURES, 10);
            Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
            return new Failures(count, clock.instant().plus(lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock));
        });
    }

    void succeeded(String key) {
        failures.remove(key);
    }
}

package org.medida.simulator.model;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The meter's clock: {@code epoch + elapsed wall time x acceleration x (1 + drift)}, plus whatever a client set or
 * shifted. Thread-safe.
 */
public final class MeterClock {

    private final Clock wall;
    private final Instant wallStart;
    private final Instant epoch;
    private final double rate;
    private long adjustmentNanos;

    /** The clock shows {@code epoch} at wall time {@code wallStart}, and runs on from there. */
    public MeterClock(Clock wall, Instant wallStart, Instant epoch, double acceleration, double driftPpm) {
        this.wall = wall;
        this.wallStart = wallStart;
        this.epoch = epoch;
        this.rate = acceleration * (1 + driftPpm / 1e6);
    }

    public synchronized Instant now() {
        long elapsedNanos = Duration.between(wallStart, wall.instant()).toNanos();
        return epoch.plusNanos((long) (elapsedNanos * rate) + adjustmentNanos);
    }

    /** Moves the clock by {@code delta}; returns the time it showed before. */
    public synchronized Instant shift(Duration delta) {
        Instant before = now();
        adjustmentNanos += delta.toNanos();
        return before;
    }

    public Instant epoch() {
        return epoch;
    }

    /** Meter-time span that corresponds to {@code wallTime} of wall time. */
    public Duration meterSpanOf(Duration wallTime) {
        return Duration.ofNanos((long) (wallTime.toNanos() * rate));
    }
}

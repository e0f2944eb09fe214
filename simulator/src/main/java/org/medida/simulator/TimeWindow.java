package org.medida.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A half-open span [from, to) of meter time. */
public record TimeWindow(Instant from, Instant to) {

    public TimeWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("window ends before it starts: " + from + " .. " + to);
        }
    }

    public static TimeWindow of(Instant from, Duration length) {
        return new TimeWindow(from, from.plus(length));
    }

    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    /** Seconds this window shares with [start, end). */
    public long overlapSeconds(Instant start, Instant end) {
        Instant a = from.isAfter(start) ? from : start;
        Instant b = to.isBefore(end) ? to : end;
        return a.isBefore(b) ? Duration.between(a, b).toSeconds() : 0;
    }

    public Duration length() {
        return Duration.between(from, to);
    }
}

package org.medida.edge.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A stretch of a load profile the meter has no entries for (it was powered off, or its buffer had already
 * overwritten them): recorded as a gap, never filled with invented values. {@code from} and {@code to} are interval
 * ends: the first and the last entry that are missing.
 */
public record ProfileGap(String serial, String profileObis, Instant from, Instant to) {
    public ProfileGap {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("a gap ends after it begins: " + from + " > " + to);
        }
    }
}

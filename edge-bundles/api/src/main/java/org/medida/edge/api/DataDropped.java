package org.medida.edge.api;

import java.time.Instant;

/**
 * The store ran out of its disk budget and discarded {@code entries} load-profile entries of one meter whose
 * interval ends lie between {@code from} and {@code to}. Reported to central like any other data, so that a loss is
 * counted, never silent.
 */
public record DataDropped(String serial, Instant from, Instant to, long entries) {
}

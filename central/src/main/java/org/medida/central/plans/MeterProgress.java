package org.medida.central.plans;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One meter on one day of a plan: WAITING (not sent yet), RUNNING (an order out), EXE, WARN or FAIL (every kind
 * done; the worst result counts). {@code step} is the index of the kind running or next; {@code correlationId} the
 * last order's, null before the first.
 */
public record MeterProgress(LocalDate day, String serial, String state, String reason, String correlationId,
        int attempts, int step, Instant updatedAt) {
}

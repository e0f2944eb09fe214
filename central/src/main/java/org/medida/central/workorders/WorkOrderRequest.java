package org.medida.central.workorders;

import java.time.Instant;
import java.util.Objects;

import org.medida.edge.api.Priority;
import org.medida.edge.api.TaskKind;

/**
 * What someone asks central to do on one meter. {@code argument} as in {@link org.medida.edge.api.MeterTask}
 * (watts for a power limit, look-back seconds for profile and event reads, else 0). The order is not sent before
 * {@code notBefore} and fails "expired" if it has not completed by {@code expiresAt}. {@code origin} says who asked:
 * {@code user:<name>}, {@code plan:<id>}, {@code gap-backfill}, {@code cim:<source>}. {@code planId} is null for
 * orders outside a plan.
 */
public record WorkOrderRequest(String serial, TaskKind kind, long argument, Priority priority, Instant notBefore,
        Instant expiresAt, RetryPolicy retry, String origin, Long planId) {

    public WorkOrderRequest {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(origin, "origin");
        if (argument < 0) {
            throw new IllegalArgumentException("argument is not negative: " + argument);
        }
    }
}

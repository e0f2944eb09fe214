package org.medida.edge.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Work on one meter that someone waits for: a technician at the gateway's shell, or central through a command
 * request. The correlation id links request, execution and outcome (requirement W5). {@code argument} is the power
 * limit in watts for {@link TaskKind#SET_POWER_LIMIT}, the look-back in seconds for {@link TaskKind#READ_PROFILE}
 * and {@link TaskKind#READ_EVENTS}, and 0 otherwise. A task not started by {@code expiresAt} is not started at all.
 */
public record MeterTask(String correlationId, String serial, TaskKind kind, long argument, Priority priority,
        Instant expiresAt) {

    public MeterTask {
        if (correlationId == null || correlationId.isBlank()) {
            throw new IllegalArgumentException("a task needs a correlation id");
        }
        if (serial == null || serial.isBlank()) {
            throw new IllegalArgumentException("a task needs a meter serial");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (argument < 0) {
            throw new IllegalArgumentException("a task's argument is not negative: " + argument);
        }
    }
}

package org.medida.edge.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link MeterTask} ended, under the task's correlation id. {@code registers} holds what a read task read
 * (empty otherwise); {@code supplyState} is the disconnector as read back after a relay or limiter task, else null.
 * {@code detail} explains a WARN or FAIL and never contains secrets.
 */
public record TaskOutcome(String correlationId, String serial, TaskStatus status, String detail,
        Instant completedAt, List<RegisterReading> registers, SupplyState supplyState) {

    public TaskOutcome {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(completedAt, "completedAt");
        detail = detail == null ? "" : detail;
        registers = List.copyOf(registers);
    }

    /** A task that was not carried out, for {@code reason}. */
    public static TaskOutcome failed(MeterTask task, String reason, Instant at) {
        return new TaskOutcome(task.correlationId(), task.serial(), TaskStatus.FAIL, reason, at, List.of(), null);
    }
}

package org.medida.central.workorders;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.medida.edge.api.Priority;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;
import org.medida.edge.api.TaskKind;

/**
 * A work order as it stands. {@code gatewayId} is null for a point-to-point meter or an unknown one;
 * {@code completedAt} is null until the order is final; {@code registers} and {@code supplyState} are what the
 * outcome carried (empty / null otherwise).
 */
public record WorkOrder(String correlationId, String serial, String gatewayId, TaskKind kind, long argument,
        Priority priority, OrderState state, String reason, String origin, Long planId, int attempts,
        Instant createdAt, Instant expiresAt, Instant completedAt, List<RegisterReading> registers,
        SupplyState supplyState) {

    public WorkOrder {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        registers = List.copyOf(registers);
    }
}

package org.medida.edge.api;

import java.time.Instant;

/**
 * A command the meter accepted. For relay and limiter commands {@code supplyState} is read back from the meter after
 * the action, so the caller sees what the meter really did; it is null for clock commands.
 */
public record CommandResult(MeterCommand command, Instant completedAt, SupplyState supplyState) {
}

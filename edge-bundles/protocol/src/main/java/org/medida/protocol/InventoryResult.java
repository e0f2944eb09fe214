package org.medida.protocol;

import java.util.Objects;

/**
 * A gateway's answer to an {@link InventoryChange}, on {@link Topics#inventoryResult}, under the change's correlation
 * id: {@code OK} once its meter table holds the change, {@code FAIL} with the reason otherwise.
 */
public record InventoryResult(String correlationId, String serial, Status status, String detail) {

    public enum Status {
        OK,
        FAIL
    }

    public InventoryResult {
        if (correlationId == null || correlationId.isBlank()) {
            throw new IllegalArgumentException("correlation id is required");
        }
        if (serial == null || serial.isBlank()) {
            throw new IllegalArgumentException("serial is required");
        }
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }
}

package org.medida.protocol;

import java.util.Objects;

import org.medida.edge.api.MeterRef;

/**
 * Central's change to a gateway's meter table, on {@link Topics#inventoryRequest}: commission a meter (with its link
 * and security material, as the gateway's meters file has them) or decommission it. A relink is a decommission at
 * the old gateway and a commission at the new one. Applying a change twice leaves the table as applying it once, so
 * central may resend a change it has no answer to. Secrets never appear in {@link #toString()} (see
 * {@link org.medida.edge.api.MeterSecurity}).
 *
 * @param meter the meter to commission; null for a decommission
 */
public record InventoryChange(String correlationId, Action action, String serial, MeterRef meter) {

    public enum Action {
        COMMISSION,
        DECOMMISSION
    }

    public InventoryChange {
        if (correlationId == null || correlationId.isBlank()) {
            throw new IllegalArgumentException("correlation id is required");
        }
        Objects.requireNonNull(action, "action");
        if (serial == null || serial.isBlank()) {
            throw new IllegalArgumentException("serial is required");
        }
        if (action == Action.COMMISSION && (meter == null || !meter.serial().equals(serial))) {
            throw new IllegalArgumentException("a commission carries the meter " + serial);
        }
        if (action == Action.DECOMMISSION && meter != null) {
            throw new IllegalArgumentException("a decommission carries no meter");
        }
    }

    public static InventoryChange commission(String correlationId, MeterRef meter) {
        return new InventoryChange(correlationId, Action.COMMISSION, meter.serial(), meter);
    }

    public static InventoryChange decommission(String correlationId, String serial) {
        return new InventoryChange(correlationId, Action.DECOMMISSION, serial, null);
    }
}

package org.medida.edge.uplink;

import java.time.Instant;
import java.util.Optional;

import org.medida.edge.api.MeterInventory;
import org.medida.edge.api.MeterState;
import org.medida.protocol.InventoryChange;
import org.medida.protocol.InventoryResult;

/**
 * Applies central's inventory changes to the gateway's meter table. Idempotent, as central resends a change it has
 * no answer to: commissioning a commissioned meter replaces its link and security with the same ones, and
 * decommissioning a meter the table does not hold (or holds decommissioned) is done already.
 */
final class InventoryRequests {

    private InventoryRequests() {
    }

    static InventoryResult apply(Optional<MeterInventory> inventory, InventoryChange change, Instant now) {
        if (inventory.isEmpty()) {
            return result(change, InventoryResult.Status.FAIL, "the meter table is not running");
        }
        MeterInventory meters = inventory.get();
        try {
            if (change.action() == InventoryChange.Action.COMMISSION) {
                meters.register(change.meter(), MeterState.COMMISSIONED, now);
                return result(change, InventoryResult.Status.OK, "");
            }
            if (meters.meter(change.serial()).isEmpty()) {
                return result(change, InventoryResult.Status.OK, "not in the meter table");
            }
            meters.changeState(change.serial(), MeterState.DECOMMISSIONED, now);
            return result(change, InventoryResult.Status.OK, "");
        } catch (RuntimeException e) {
            return result(change, InventoryResult.Status.FAIL, "meter table: " + e.getMessage());
        }
    }

    private static InventoryResult result(InventoryChange change, InventoryResult.Status status, String detail) {
        return new InventoryResult(change.correlationId(), change.serial(), status, MqttUplink.reason(detail));
    }
}

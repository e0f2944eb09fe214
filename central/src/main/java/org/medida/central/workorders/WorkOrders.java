package org.medida.central.workorders;

import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Central's work orders (requirements W1-W5, R1, M5): one task on one meter, from an operator, an external system,
 * a plan or central itself (a gap backfill). Plans, the gap watcher and the HTTP API submit through this interface.
 */
public interface WorkOrders {

    /**
     * Validates {@code request} (M5: the meter exists, is commissioned, is linked to a gateway or is point to point,
     * supports the task) and records the order under a new correlation id. A request that fails validation is
     * recorded too, already {@link OrderState#FAIL} with the reason; it is never an exception. A valid order is
     * sent when its gateway is online (at the request's priority), or held until the gateway returns; one that
     * has not completed by its expiry ends FAIL "expired".
     */
    WorkOrder submit(WorkOrderRequest request) throws SQLException;

    /** The order with {@code correlationId}, as it stands now. */
    Optional<WorkOrder> find(String correlationId) throws SQLException;

    /** Calls {@code listener} once for every order that reaches a final state, after that state is committed. */
    void onCompletion(Consumer<WorkOrder> listener);
}

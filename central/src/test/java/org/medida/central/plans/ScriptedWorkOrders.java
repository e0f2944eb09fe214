package org.medida.central.plans;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.medida.central.workorders.OrderState;
import org.medida.central.workorders.WorkOrder;
import org.medida.central.workorders.WorkOrderRequest;
import org.medida.central.workorders.WorkOrders;
import org.medida.edge.api.RegisterReading;

/**
 * A test double of central's own {@link WorkOrders} seam (the real service is the workorders feature's): it keeps
 * what was submitted, refuses orders for the serials the test names (as the real validation would, FAIL at once),
 * and ends orders when the test says, telling the completion listeners as the real one does.
 */
final class ScriptedWorkOrders implements WorkOrders {

    private final Clock clock;
    private final Map<String, WorkOrder> orders = new LinkedHashMap<>();
    private final Map<String, WorkOrderRequest> requests = new LinkedHashMap<>();
    private final List<Consumer<WorkOrder>> listeners = new CopyOnWriteArrayList<>();
    private Set<String> refused = Set.of();
    private int next;

    ScriptedWorkOrders(Clock clock) {
        this.clock = clock;
    }

    /** Orders for these meters fail validation at submission. */
    synchronized void refuse(Set<String> serials) {
        refused = Set.copyOf(serials);
    }

    @Override
    public synchronized WorkOrder submit(WorkOrderRequest request) {
        String id = "co-" + ++next;
        boolean refuse = refused.contains(request.serial());
        WorkOrder order = new WorkOrder(id, request.serial(), null, request.kind(), request.argument(),
                request.priority(), refuse ? OrderState.FAIL : OrderState.SENT,
                refuse ? "meter " + request.serial() + " is not commissioned" : "", request.origin(), request.planId(),
                refuse ? 0 : 1, clock.instant(), request.expiresAt(), refuse ? clock.instant() : null, List.of(),
                null);
        orders.put(id, order);
        requests.put(id, request);
        return order;
    }

    @Override
    public synchronized Optional<WorkOrder> find(String correlationId) {
        return Optional.ofNullable(orders.get(correlationId));
    }

    @Override
    public void onCompletion(Consumer<WorkOrder> listener) {
        listeners.add(listener);
    }

    synchronized List<WorkOrderRequest> requests() {
        return List.copyOf(requests.values());
    }

    /** The orders not final yet, oldest first. */
    synchronized List<WorkOrder> outstanding() {
        return orders.values().stream().filter(order -> !order.state().isFinal()).toList();
    }

    /** Ends {@code order} as {@code state}, with one register value when EXE, and tells the listeners. */
    WorkOrder end(WorkOrder order, OrderState state, String reason, int attempts) {
        List<RegisterReading> registers = state == OrderState.FAIL ? List.of()
                : List.of(new RegisterReading("1.0.1.8.0.255", new BigDecimal("1234.500"), "Wh", null,
                        clock.instant()));
        WorkOrder ended = new WorkOrder(order.correlationId(), order.serial(), order.gatewayId(), order.kind(),
                order.argument(), order.priority(), state, reason, order.origin(), order.planId(), attempts,
                order.createdAt(), order.expiresAt(), clock.instant(), registers, null);
        synchronized (this) {
            orders.put(order.correlationId(), ended);
        }
        listeners.forEach(listener -> listener.accept(ended));
        return ended;
    }

    /** Ends every outstanding order EXE. */
    void endAll(OrderState state, String reason) {
        for (WorkOrder order : new ArrayList<>(outstanding())) {
            end(order, state, reason, 1);
        }
    }

    /** Ends {@code order} without telling anyone: a completion central missed while it was down. */
    synchronized void endSilently(WorkOrder order, OrderState state, String reason) {
        orders.put(order.correlationId(), new WorkOrder(order.correlationId(), order.serial(), order.gatewayId(),
                order.kind(), order.argument(), order.priority(), state, reason, order.origin(), order.planId(), 1,
                order.createdAt(), order.expiresAt(), clock.instant(), List.of(), null));
    }
}

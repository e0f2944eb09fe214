package org.medida.central.plans;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.medida.central.workorders.OrderState;
import org.medida.central.workorders.WorkOrder;

/**
 * Moves a plan's meters on as their orders end, and queues every final result for delivery in the same transaction
 * (P3, P4: a result is never lost between the two). A meter runs the plan's kinds one after the other; its final
 * state is the worst of its orders' (EXE, WARN, FAIL); its reason lists each kind that gave one.
 */
final class MeterResults {

    private MeterResults() {
    }

    /**
     * Records {@code order}'s end if it is the order a meter of {@code plan} waits for; an order already recorded
     * (the completion told twice) or not the plan's changes nothing. Returns whether it was recorded.
     */
    static boolean orderEnded(Connection connection, Plan plan, WorkOrder order, Instant now) throws SQLException {
        var running = PlanStore.running(connection, plan.id(), order.correlationId());
        if (running.isEmpty()) {
            return false;
        }
        PlanStore.Running meter = running.get();
        String outcome = worse(meter.outcome(), order.state().name());
        String reason = order.reason().isEmpty() ? meter.reason()
                : join(meter.reason(), order.kind().name() + ": " + order.reason());
        move(connection, plan, meter.day(), meter.serial(), meter.step() + 1, outcome, reason,
                meter.attempts() + order.attempts(), now);
        PlanStore.queueDelivery(connection, order.correlationId(), plan.id(),
                PlanFormat.json(PlanResult.of(plan, meter.day(), order)), now);
        return true;
    }

    /** Fails the meters of {@code plan} still waiting on {@code day}: their remaining kinds are never sent. */
    static void failWaiting(Connection connection, Plan plan, LocalDate day, String why, Instant now)
            throws SQLException {
        List<PlanStore.Running> waiting = PlanStore.waitingWithOutcome(connection, plan.id(), day);
        for (PlanStore.Running meter : waiting) {
            var kind = plan.definition().kinds().get(meter.step());
            PlanStore.advance(connection, plan.id(), day, meter.serial(), OrderState.FAIL.name(), meter.step(),
                    OrderState.FAIL.name(), join(meter.reason(), kind.name() + ": " + why), meter.attempts(), now);
            PlanStore.queueDelivery(connection, "", plan.id(),
                    PlanFormat.json(PlanResult.unsent(plan, day, meter.serial(), kind, why, now)), now);
        }
    }

    /** To the next step, or to the final state when every kind is done. */
    private static void move(Connection connection, Plan plan, LocalDate day, String serial, int nextStep,
            String outcome, String reason, int attempts, Instant now) throws SQLException {
        boolean done = nextStep >= plan.definition().kinds().size();
        PlanStore.advance(connection, plan.id(), day, serial, done ? outcome : PlanStore.WAITING,
                done ? nextStep - 1 : nextStep, outcome, reason, attempts, now);
    }

    /** The worse of two final states: FAIL over WARN over EXE. */
    static String worse(String a, String b) {
        return OrderState.valueOf(a).ordinal() >= OrderState.valueOf(b).ordinal() ? a : b;
    }

    private static String join(String reasons, String reason) {
        return reasons.isEmpty() ? reason : reasons + "; " + reason;
    }
}

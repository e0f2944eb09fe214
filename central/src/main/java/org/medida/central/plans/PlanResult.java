package org.medida.central.plans;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.medida.central.workorders.WorkOrder;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.TaskKind;

/**
 * One result as the external system receives it (P3): a meter's order of a plan on a day, final. {@code correlationId}
 * is null when no order was sent (the window closed first, the plan was cancelled); values are decimal strings,
 * times ISO-8601.
 */
record PlanResult(long planId, String plan, String day, String serial, String kind, String correlationId,
        String state, String reason, int attempts, String completedAt, List<Register> registers, Supply supply) {

    record Register(String obis, String unit, String value, String captureTime, String readAt) {
    }

    record Supply(boolean relayClosed, int controlState) {
    }

    /** The result of a plan's final order. */
    static PlanResult of(Plan plan, LocalDate day, WorkOrder order) {
        List<Register> registers = order.registers().stream().map(PlanResult::register).toList();
        Supply supply = order.supplyState() == null ? null
                : new Supply(order.supplyState().relayClosed(), order.supplyState().controlState());
        return new PlanResult(plan.id(), plan.definition().name(), day.toString(), order.serial(), order.kind().name(),
                order.correlationId(), order.state().name(), order.reason(), order.attempts(),
                text(order.completedAt()), registers, supply);
    }

    /** The result of a meter whose order was never sent. */
    static PlanResult unsent(Plan plan, LocalDate day, String serial, TaskKind kind, String reason, Instant now) {
        return new PlanResult(plan.id(), plan.definition().name(), day.toString(), serial, kind.name(), null, "FAIL",
                reason, 0, now.toString(), List.of(), null);
    }

    private static Register register(RegisterReading reading) {
        return new Register(reading.obis(), reading.unit(), reading.value().toPlainString(),
                text(reading.captureTime()), reading.readAt().toString());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}

package org.medida.central.workorders;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.medida.central.events.CentralEvent;
import org.medida.central.events.EventType;
import org.medida.edge.api.FailureKind;
import org.medida.edge.tasks.TaskRunner;

/**
 * Why an order ended FAIL, as one of central's own {@link EventType event types}, so the alarm rules (R5, S3) see a
 * meter that does not respond, is unreachable or is not commissioned whatever path the order took.
 */
final class OrderFailure {

    /** Refusals by the gateway that another attempt cannot change. */
    private static final Set<String> REFUSALS = Set.of("unauthenticated command", "replayed command");
    private static final String EXPIRED = "expired";

    private OrderFailure() {
    }

    /**
     * The failure a failed outcome reports: a meter conversation's failure names its {@link FailureKind}
     * ({@link TaskRunner#failureKind}), the gateway's inventory names a meter it does not hold or does not collect.
     */
    static EventType of(String detail) {
        if (REFUSALS.contains(detail)) {
            return EventType.COMMAND_REFUSED_BY_GATEWAY;
        }
        if (detail.equals(EXPIRED)) {
            return EventType.WORK_ORDER_EXPIRED;
        }
        Optional<FailureKind> kind = TaskRunner.failureKind(detail);
        if (kind.equals(Optional.of(FailureKind.UNREACHABLE))) {
            return EventType.METER_UNREACHABLE;
        }
        if (kind.equals(Optional.of(FailureKind.TIMEOUT))) {
            return EventType.METER_NOT_RESPONDING;
        }
        if (detail.startsWith("unknown meter ") || detail.matches("meter \\S+ is \\S+")) {
            return EventType.METER_NOT_COMMISSIONED;
        }
        return EventType.WORK_ORDER_FAILED;
    }

    /**
     * Whether another attempt may change the outcome: a refusal or an expiry stays so; a meter the gateway does not
     * hold yet may be there by the retry (its commissioning can be on the way).
     */
    static boolean retryable(EventType failure) {
        return failure != EventType.COMMAND_REFUSED_BY_GATEWAY && failure != EventType.WORK_ORDER_EXPIRED;
    }

    /** Whether the meter itself was not reached, which marks it unreachable (M4). */
    static boolean meterNotReached(EventType failure) {
        return failure == EventType.METER_NOT_RESPONDING || failure == EventType.METER_UNREACHABLE;
    }

    static CentralEvent event(EventType failure, String correlationId, String serial, String gatewayId, Instant at,
            String detail) {
        // one failure event per order, whichever way it failed
        return failure.event(serial, gatewayId, at, "work order " + correlationId + ": " + detail,
                "work_order:" + correlationId);
    }
}

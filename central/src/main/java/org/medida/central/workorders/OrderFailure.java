package org.medida.central.workorders;

import java.time.Instant;

import org.medida.central.events.CentralEvent;

/** Why an order ended FAIL, as the {@code work_order} events central records (R5, S3). */
enum OrderFailure {
    /** Validation (M5): unknown meter, not linked, task not supported. */
    NOT_VALID(1, "work order not valid"),
    /** Validation (M5): the meter is not commissioned. */
    NOT_COMMISSIONED(2, "meter not commissioned"),
    /** The gateway or the point-to-point link reached the meter's link, and the meter did not do it. */
    METER_NOT_RESPONDING(3, "meter not responding"),
    /** Sent, and no outcome came back in time. */
    NO_ANSWER(4, "no answer from gateway"),
    EXPIRED(5, "work order expired"),
    /** The gateway refused the request itself (X2: unauthenticated or replayed). */
    REFUSED_BY_GATEWAY(6, "command refused by gateway");

    static final String SOURCE = "work_order";

    private final int code;
    private final String eventName;

    OrderFailure(int code, String eventName) {
        this.code = code;
        this.eventName = eventName;
    }

    CentralEvent event(String correlationId, String serial, String gatewayId, Instant at, String detail) {
        return new CentralEvent(serial, gatewayId, at, SOURCE, code, eventName,
                "work order " + correlationId + ": " + detail, SOURCE + ":" + correlationId);
    }
}

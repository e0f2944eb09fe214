package org.medida.central.events;

import java.time.Instant;

/**
 * The events central notices itself, with their source and code in {@code central_events} (meter logs and status
 * words take the meter's own codes: {@link IdisEvents}, {@link StatusWord}). Alarm rules match on these codes, so
 * every part of central records its failures through this table rather than inventing codes.
 */
public enum EventType {
    // work orders (S3): what made an order fail
    /** The link to the meter works (the gateway's PLC/RF channel, the modem) and the meter did not answer. */
    METER_NOT_RESPONDING(EventSource.WORK_ORDER, 1, "meter not responding"),
    /** No connection to the meter could be made at all. */
    METER_UNREACHABLE(EventSource.WORK_ORDER, 2, "meter unreachable"),
    /** Validation (M5) at central, or the gateway's inventory: the meter is not commissioned there. */
    METER_NOT_COMMISSIONED(EventSource.WORK_ORDER, 3, "meter not commissioned"),
    WORK_ORDER_EXPIRED(EventSource.WORK_ORDER, 4, "work order expired"),
    /** The meter answered and refused or failed the task (authentication, access, a meter error). */
    WORK_ORDER_FAILED(EventSource.WORK_ORDER, 5, "work order failed"),
    /** Validation (M5): unknown meter, not linked, task not supported. */
    WORK_ORDER_NOT_VALID(EventSource.WORK_ORDER, 6, "work order not valid"),
    /** Sent, and no outcome came back within the response timeout. */
    NO_ANSWER_FROM_GATEWAY(EventSource.WORK_ORDER, 7, "no answer from gateway"),
    /** The gateway refused the request itself (X2: unauthenticated or replayed). */
    COMMAND_REFUSED_BY_GATEWAY(EventSource.WORK_ORDER, 8, "command refused by gateway"),
    // gateways (S3): its connection and its store
    GATEWAY_OFFLINE(EventSource.GATEWAY, 1, "gateway offline"),
    GATEWAY_ONLINE(EventSource.GATEWAY, 2, "gateway online"),
    DATA_DROPPED(EventSource.GATEWAY, 3, "data dropped by the gateway"),
    // interval data central should have
    UNRECOVERABLE_GAP(EventSource.GAP, 1, "unrecoverable gap"),
    GAP_NOT_FILLED(EventSource.GAP, 2, "gap not filled by backfill"),
    // meter lifecycle (M3)
    COMMISSIONED(EventSource.LIFECYCLE, 1, "commissioned"),
    DECOMMISSIONED(EventSource.LIFECYCLE, 2, "decommissioned");

    private final String source;
    private final int code;
    private final String eventName;

    EventType(String source, int code, String eventName) {
        this.source = source;
        this.code = code;
        this.eventName = eventName;
    }

    public String source() {
        return source;
    }

    public int code() {
        return code;
    }

    public String eventName() {
        return eventName;
    }

    /** An event of this type; {@code dedupKey} names the occurrence, so recording it again is a no-op. */
    public CentralEvent event(String serial, String gatewayId, Instant at, String detail, String dedupKey) {
        return new CentralEvent(serial, gatewayId, at, source, code, eventName, detail, dedupKey);
    }
}

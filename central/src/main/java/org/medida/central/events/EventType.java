package org.medida.central.events;

import java.time.Instant;

/**
 * The events central notices itself, with their source and code in {@code central_events} (meter logs and status
 * words take the meter's own codes: {@link IdisEvents}, {@link StatusWord}). Alarm rules match on these codes, so
 * every part of central records its failures through this table rather than inventing codes.
 */
public enum EventType {
    // work orders (S3): what made an order fail
    METER_NOT_RESPONDING(EventSource.WORK_ORDER, 1, "meter not responding"),
    METER_UNREACHABLE(EventSource.WORK_ORDER, 2, "meter unreachable"),
    METER_NOT_COMMISSIONED(EventSource.WORK_ORDER, 3, "meter not commissioned"),
    WORK_ORDER_EXPIRED(EventSource.WORK_ORDER, 4, "work order expired"),
    WORK_ORDER_FAILED(EventSource.WORK_ORDER, 5, "work order failed"),
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

package org.medida.central.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One event central knows of (R5, R6, S3, M3). {@code source} names where it comes from: {@code meter_log} (an IDIS
 * event from a meter's log, {@code code} the IDIS code), {@code status_word} (a load profile status bit, {@code code}
 * the bit's mask), {@code work_order} (a failure central saw), {@code gateway} (offline/online, data dropped),
 * {@code gap} (missing intervals), {@code lifecycle} (commissioned/decommissioned): codes of the last four in
 * {@link EventType}. {@code serial} or {@code gatewayId} may be null. {@code dedupKey} identifies the event: recording
 * it twice records it once.
 */
public record CentralEvent(String serial, String gatewayId, Instant at, String source, int code, String name,
        String detail, String dedupKey) {

    public CentralEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dedupKey, "dedupKey");
        detail = detail == null ? "" : detail;
    }
}

package org.medida.edge.api;

import java.time.Duration;
import java.time.Instant;

/**
 * The meter's clock as read, with the gateway's time when the answer arrived. {@code status} is the COSEM clock
 * status byte (0x01 invalid, 0x02 doubtful, 0x80 daylight saving active, ...).
 */
public record ClockReading(Instant meterTime, Instant gatewayTime, int status) {

    /** Positive when the meter runs ahead of the gateway. */
    public Duration deviation() {
        return Duration.between(gatewayTime, meterTime);
    }
}

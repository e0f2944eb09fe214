package org.medida.edge.api;

import java.time.Instant;

/**
 * An entry of a meter's event log with the meter's own time stamp. {@code code} is the IDIS event code (1 power
 * down, 40 terminal cover removed, 62 remote disconnect, ...); power-failure log entries carry code 1 and the
 * outage length in {@code durationSeconds} (0 elsewhere).
 */
public record MeterEvent(EventLog log, int code, Instant timestamp, long durationSeconds) {
}

package org.medida.simulator.model;

import java.time.Instant;

/** One row of an event log: when, and the IDIS event code. */
public record LoggedEvent(EventLog log, Instant time, int code) {
}

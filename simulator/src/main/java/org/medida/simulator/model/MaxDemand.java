package org.medida.simulator.model;

import java.time.Instant;

/** The highest mean import demand (W) of a profile interval this month, and the end of that interval. */
public record MaxDemand(long demandW, Instant captureTime) {
}

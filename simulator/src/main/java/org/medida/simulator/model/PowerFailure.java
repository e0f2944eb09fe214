package org.medida.simulator.model;

import java.time.Duration;
import java.time.Instant;

/** One power-failure log row, written when power returns: when the power went down and for how long. */
public record PowerFailure(Instant start, Duration duration) {
}

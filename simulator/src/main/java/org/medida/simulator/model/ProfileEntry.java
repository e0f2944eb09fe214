package org.medida.simulator.model;

import java.time.Instant;

/** One load-profile row: capture time, AMR profile status, cumulative A+ and A- (Wh). */
public record ProfileEntry(Instant time, int status, long importWh, long exportWh) {
}

package org.medida.simulator.model;

import java.time.Instant;

/**
 * One daily billing row, captured at 00:00 UTC: the row stamped 00:00 of day D+1 is the closure of day D, its
 * registers are the totals at the end of day D.
 */
public record BillingEntry(Instant time, int status, EnergyTotals totals) {
}

package org.medida.edge.api;

import java.util.Map;

/**
 * What the store holds for the uplink: rows waiting per {@link DataClass} (in batches or not yet), how many batches
 * are formed and not confirmed, and the disk budget.
 */
public record Backlog(Map<DataClass, Long> entries, int openBatches, long usedBytes, long maxBytes) {
    public Backlog {
        entries = Map.copyOf(entries);
    }
}

package org.medida.edge.api;

/** How big a batch {@link ReadingStore#nextBatch} may form: at most {@code maxEntries} rows (profile entries, ...). */
public record BatchLimits(int maxEntries) {
    public BatchLimits {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a batch holds at least one entry");
        }
    }
}

package org.medida.edge.api;

/**
 * What an append did, all or nothing: {@code added} rows were new and are durable, {@code alreadyStored} were
 * recognised as stored before (same key) and left as they were. A {@link Outcome#REFUSED_STORE_FULL} append stored
 * nothing: the disk budget is used up by data that is never dropped.
 */
public record AppendResult(Outcome outcome, int added, int alreadyStored) {

    public enum Outcome {
        STORED,
        REFUSED_STORE_FULL
    }

    public static AppendResult stored(int added, int alreadyStored) {
        return new AppendResult(Outcome.STORED, added, alreadyStored);
    }

    public static AppendResult refused() {
        return new AppendResult(Outcome.REFUSED_STORE_FULL, 0, 0);
    }
}

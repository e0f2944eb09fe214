package org.medida.edge.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's meter table (requirements M3, M4), durable across restarts: which meters it serves, how to reach
 * them, their lifecycle state, their reachability, and per meter and profile the high-water mark of what was
 * collected. The collector moves a mark only after the store has taken the data up to it, so a restart resumes
 * exactly where collection stopped.
 * <p>
 * Updates of an unknown serial throw {@link IllegalArgumentException}; failures of the database itself throw
 * {@link IllegalStateException}. Every update is durable when it returns.
 */
public interface MeterInventory {

    /** Every meter, in serial order. */
    List<InventoryMeter> meters();

    Optional<InventoryMeter> meter(String serial);

    /**
     * Adds a meter, or replaces the link and security material of a known one (its marks and reachability stay);
     * {@code state} is applied as by {@link #changeState}.
     */
    void register(MeterRef meter, MeterState state, Instant at);

    /** Moves a meter to {@code state} at {@code at}; nothing changes when it is in that state already. */
    void changeState(String serial, MeterState state, Instant at);

    /** An attempt to talk to the meter succeeded: it is reachable, its failure count starts again. */
    void recordSuccess(String serial, Instant at);

    /** An attempt failed, for {@code reason}. */
    void recordFailure(String serial, Instant at, Failure reason);

    /** Sets the high-water mark of a profile or event log (its OBIS code) to the last time collected and stored. */
    void moveHighWaterMark(String serial, String profileObis, Instant collectedUpTo);
}

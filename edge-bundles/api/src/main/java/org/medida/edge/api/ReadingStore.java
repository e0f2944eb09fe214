package org.medida.edge.api;

import java.util.List;
import java.util.Optional;

/**
 * The gateway's durable buffer between collection and uplink (requirement S1). The collector appends what it read;
 * the uplink takes {@link Batch}es, publishes them and confirms each only after central acknowledged that it
 * committed it; only then are its rows deleted.
 * <p>
 * Appends are idempotent: a row whose key is stored already (profile entry: meter, profile, interval end; register:
 * meter, OBIS, capture time or else read time; event: meter, log, time stamp, code; gap: meter, profile, from) is
 * recognised and not stored twice. Each append is one transaction, durable when it returns. Invalid input (null,
 * missing serial or OBIS, values that do not match the channels) throws {@link IllegalArgumentException} and stores
 * nothing.
 * <p>
 * The store has a disk budget: when it is used up, the oldest profile entries not yet in a batch are dropped and
 * each drop is reported as {@link DataDropped}; events, registers, gaps and drop reports are never dropped. If
 * nothing droppable is left, interval appends are refused ({@link AppendResult.Outcome#REFUSED_STORE_FULL}) while
 * the other classes are still accepted.
 */
public interface ReadingStore {

    AppendResult appendIntervals(IntervalBlock block);

    AppendResult appendRegisters(String serial, List<RegisterReading> readings);

    AppendResult appendEvents(String serial, List<MeterEvent> events);

    AppendResult appendGap(ProfileGap gap);

    /**
     * The next batch to publish: first a batch formed earlier and not handed out since this store opened (or
     * released since), then a new one from pending rows, highest {@link DataClass} first, oldest day first. Empty
     * when everything is handed out or nothing is pending. A batch handed out stays out until confirmed or
     * released.
     */
    Optional<Batch> nextBatch(BatchLimits limits);

    /**
     * Central committed the batch: its rows are deleted, in one transaction. False if the store does not know the id
     * (already confirmed: a repeated acknowledgement is harmless).
     */
    boolean confirm(long batchId);

    /**
     * The batch could not be delivered (publish failed, no acknowledgement in time): it becomes due again from
     * {@link #nextBatch}, with the same id and rows. False if the id is not handed out.
     */
    boolean release(long batchId);

    Backlog backlog();
}

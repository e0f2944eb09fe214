package org.medida.central.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.medida.central.db.Database;
import org.medida.edge.api.Batch;

/**
 * The ingest's write path for what central read itself from point-to-point meters: the rows go through the same
 * {@link BatchStore} as a gateway's batches, so they land in the same tables, idempotently (a value read twice is
 * stored once), and the same {@link IngestListener listeners} see them (a meter's event log becomes central events
 * and alarms whichever way it was read).
 */
public final class DirectReadings {

    private final Database database;
    private final List<IngestListener> listeners;

    /** Stores into {@code database}, telling {@code listeners} of each batch in its transaction. */
    public DirectReadings(Database database, List<IngestListener> listeners) {
        this.database = database;
        this.listeners = listeners;
    }

    /**
     * Stores the batches of one read in one transaction; returns how many rows were new.
     *
     * @throws RefusedBatchException when a row has no meaning for central (nothing is written)
     */
    public int store(List<Batch> batches, Instant now) throws SQLException, RefusedBatchException {
        try (Connection connection = database.connect()) {
            BatchStore store = new BatchStore(connection, database.dialect(), listeners);
            int added = 0;
            for (Batch batch : batches) {
                added += store.write(null, batch, now).added();
            }
            store.commit();
            return added;
        }
    }
}

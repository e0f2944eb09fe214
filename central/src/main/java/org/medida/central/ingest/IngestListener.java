package org.medida.central.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

import org.medida.edge.api.Batch;
import org.medida.edge.api.TaskOutcome;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.InventoryResult;

/**
 * What other features of central learn from the ingest, on its writer thread. The {@code ...Applied}/{@code
 * ...Stored} calls run inside the ingest's transaction, so what a listener writes commits (or rolls back) with the
 * message; the {@code ...Committed} calls run after the commit and must not block (hand work to an executor).
 */
public interface IngestListener {

    /**
     * A batch was written into the open transaction (also one sent again: its rows were already stored, so what
     * the listener writes must be idempotent). Called on every batch, so it must be cheap.
     */
    default void batchWritten(Connection connection, String gatewayId, Batch batch, Instant now) throws SQLException {
    }

    /** A gateway status was applied (not called for a stale one). */
    default void statusApplied(Connection connection, String gatewayId, GatewayStatus status, Instant now)
            throws SQLException {
    }

    /** A command outcome was stored for the first time (not called for a redelivered copy). */
    default void outcomeStored(Connection connection, String gatewayId, TaskOutcome outcome, Instant now)
            throws SQLException {
    }

    /** A gateway answered an inventory change (every copy that arrives: the listener ignores what it settled). */
    default void inventoryResultArrived(Connection connection, String gatewayId, InventoryResult result, Instant now)
            throws SQLException {
    }

    default void statusCommitted(String gatewayId, GatewayStatus status) {
    }

    default void outcomeCommitted(String gatewayId, TaskOutcome outcome) {
    }
}

package org.medida.edge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the database within its byte budget by dropping the oldest pending profile entries, one meter-day at a
 * time, and recording each drop as a {@link RowTable#DROPS} row that goes to central like any other data. Measures
 * the pages in use (page count minus free pages): pages freed by a drop or a confirmed batch are reused, so the file
 * itself stops growing at about the budget. Rows in a formed batch are never dropped, so a batch resent under its id
 * carries exactly what it carried before.
 */
final class DiskBudget {

    private final Connection db;
    private final Pending pending;
    private final long maxBytes;

    DiskBudget(Connection db, Pending pending, long maxBytes) {
        this.db = db;
        this.pending = pending;
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    long usedBytes() throws SQLException {
        return (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
    }

    /** Drops interval data until the budget holds; false if it cannot, because none is left to drop. */
    boolean makeRoom() throws SQLException {
        while (usedBytes() > maxBytes) {
            Optional<Bucket> oldest = pending.oldest(RowTable.INTERVALS);
            if (oldest.isEmpty()) {
                return false;
            }
            drop(oldest.get());
        }
        return true;
    }

    private void drop(Bucket bucket) throws SQLException {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        int entries = 0;
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM interval_entry WHERE "
                + RowTable.DAY_OF_METER + " AND batch_id IS NULL RETURNING at_ms")) {
            bucket.bindDay(delete, 1);
            try (ResultSet row = delete.executeQuery()) {
                while (row.next()) {
                    from = Math.min(from, row.getLong(1));
                    to = Math.max(to, row.getLong(1));
                    entries++;
                }
            }
        }
        if (entries != bucket.entries()) {
            throw new SQLException("pending count of " + bucket + " is off: " + entries + " rows were pending");
        }
        pending.take(bucket, entries);
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO data_dropped(meter_id, at_ms, to_ms, entries) VALUES (?, ?, ?, ?)")) {
            insert.setInt(1, bucket.meterId());
            insert.setLong(2, from);
            insert.setLong(3, to);
            insert.setInt(4, entries);
            insert.executeUpdate();
        }
        pending.add(RowTable.DROPS, bucket.meterId(), Map.of(Bucket.dayOf(from), 1));
    }

    private long pragma(String name) throws SQLException {
        try (Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA " + name)) {
            row.next();
            return row.getLong(1);
        }
    }
}

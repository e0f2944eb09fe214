package org.medida.edge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.medida.edge.api.Batch;

/**
 * Forms batches from pending rows and retires them. A batch is a row in {@code batch} plus its id in the
 * {@code batch_id} column of its rows, both written in one transaction, so a batch survives a crash exactly as it
 * was handed out. Which batches are out right now is known only to this instance: after a restart every formed
 * batch is due again.
 */
final class Batches {

    private final Connection db;
    private final Pending pending;
    private final BatchContents contents;
    private final Set<Long> handedOut = new HashSet<>();

    Batches(Connection db, Pending pending, BatchContents contents) {
        this.db = db;
        this.pending = pending;
        this.contents = contents;
    }

    /** A formed batch that is not out (resent first: it is what central may have half-seen), else a new one. */
    Optional<Batch> next(int maxEntries) throws SQLException {
        try (PreparedStatement select = db.prepareStatement(
                "SELECT id, class, meter_id, day, entries FROM batch ORDER BY class, day, id");
                ResultSet row = select.executeQuery()) {
            while (row.next()) {
                long id = row.getLong(1);
                if (!handedOut.contains(id)) {
                    return Optional.of(handOut(id, new Bucket(RowTable.ofCode(row.getInt(2)), row.getInt(3),
                            row.getLong(4), row.getInt(5))));
                }
            }
        }
        Optional<Bucket> bucket = pending.first();
        if (bucket.isEmpty()) {
            return Optional.empty();
        }
        Bucket formed = new Bucket(bucket.get().table(), bucket.get().meterId(), bucket.get().day(),
                Math.min(bucket.get().entries(), maxEntries));
        long id = form(formed);
        pending.take(bucket.get(), formed.entries());
        return Optional.of(handOut(id, formed));
    }

    /** Marked as out only once its rows are read: a batch that failed to load is due again. */
    private Batch handOut(long id, Bucket bucket) throws SQLException {
        Batch batch = contents.load(id, bucket);
        handedOut.add(id);
        return batch;
    }

    /** Deletes the batch and its rows; false if there is no such batch (confirmed before). */
    boolean confirm(long id) throws SQLException {
        Optional<Bucket> bucket = find(id);
        if (bucket.isEmpty()) {
            return false;
        }
        try (PreparedStatement deleteRows = db.prepareStatement("DELETE FROM " + bucket.get().table().table
                + " WHERE " + RowTable.DAY_OF_METER + " AND batch_id = ?");
                PreparedStatement deleteBatch = db.prepareStatement("DELETE FROM batch WHERE id = ?")) {
            bucket.get().bindDay(deleteRows, 1);
            deleteRows.setLong(4, id);
            deleteRows.executeUpdate();
            deleteBatch.setLong(1, id);
            deleteBatch.executeUpdate();
        }
        handedOut.remove(id);
        return true;
    }

    boolean release(long id) {
        return handedOut.remove(id);
    }

    /** Marks the bucket's oldest {@code entries} pending rows with a new batch id. */
    private long form(Bucket bucket) throws SQLException {
        long id;
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO batch(class, meter_id, day, entries) VALUES (?, ?, ?, ?) RETURNING id")) {
            insert.setInt(1, bucket.table().code);
            insert.setInt(2, bucket.meterId());
            insert.setLong(3, bucket.day());
            insert.setInt(4, bucket.entries());
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                id = row.getLong(1);
            }
        }
        RowTable table = bucket.table();
        String dayPending = RowTable.DAY_OF_METER + " AND batch_id IS NULL";
        try (PreparedStatement mark = db.prepareStatement("UPDATE " + table.table + " SET batch_id = ? WHERE "
                + dayPending + " AND (" + table.key + ") IN (SELECT " + table.key + " FROM " + table.table
                + " WHERE " + dayPending + " ORDER BY at_ms LIMIT ?)")) {
            mark.setLong(1, id);
            bucket.bindDay(mark, 2);
            bucket.bindDay(mark, 5);
            mark.setInt(8, bucket.entries());
            int marked = mark.executeUpdate();
            if (marked != bucket.entries()) {
                throw new SQLException("pending count of " + bucket + " is off: " + marked + " rows are pending");
            }
        }
        return id;
    }

    private Optional<Bucket> find(long id) throws SQLException {
        try (PreparedStatement select = db.prepareStatement(
                "SELECT class, meter_id, day, entries FROM batch WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new Bucket(RowTable.ofCode(row.getInt(1)), row.getInt(2), row.getLong(3),
                                row.getInt(4)))
                        : Optional.empty();
            }
        }
    }
}

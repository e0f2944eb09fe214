package org.medida.edge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * Counts of the rows not yet in a batch, per class, day and meter ({@link Bucket}s). Kept up to date in the same
 * transaction as the rows, it makes "what goes out next" and "what is dropped next" one step on a small index,
 * however big the backlog is.
 */
final class Pending {

    private final Connection db;

    Pending(Connection db) {
        this.db = db;
    }

    void add(RowTable table, int meterId, Map<Long, Integer> entriesPerDay) throws SQLException {
        try (PreparedStatement upsert = db.prepareStatement("INSERT INTO pending(class, day, meter_id, entries)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET entries = entries + excluded.entries")) {
            for (Map.Entry<Long, Integer> day : entriesPerDay.entrySet()) {
                upsert.setInt(1, table.code);
                upsert.setLong(2, day.getKey());
                upsert.setInt(3, meterId);
                upsert.setInt(4, day.getValue());
                upsert.executeUpdate();
            }
        }
    }

    /** The bucket that goes out next: highest-priority class, then oldest day. */
    Optional<Bucket> first() throws SQLException {
        return select("SELECT class, meter_id, day, entries FROM pending ORDER BY class, day, meter_id LIMIT 1");
    }

    /** The oldest bucket of one class. */
    Optional<Bucket> oldest(RowTable table) throws SQLException {
        return select("SELECT class, meter_id, day, entries FROM pending WHERE class = " + table.code
                + " ORDER BY day, meter_id LIMIT 1");
    }

    /** {@code entries} rows of the bucket left the pending state (into a batch, or dropped). */
    void take(Bucket bucket, int entries) throws SQLException {
        try (PreparedStatement update = db.prepareStatement(
                "UPDATE pending SET entries = entries - ? WHERE class = ? AND day = ? AND meter_id = ?");
                PreparedStatement delete = db.prepareStatement(
                        "DELETE FROM pending WHERE class = ? AND day = ? AND meter_id = ? AND entries <= 0")) {
            update.setInt(1, entries);
            bindBucket(update, 2, bucket);
            update.executeUpdate();
            bindBucket(delete, 1, bucket);
            delete.executeUpdate();
        }
    }

    private static void bindBucket(PreparedStatement statement, int first, Bucket bucket) throws SQLException {
        statement.setInt(first, bucket.table().code);
        statement.setLong(first + 1, bucket.day());
        statement.setInt(first + 2, bucket.meterId());
    }

    private Optional<Bucket> select(String query) throws SQLException {
        try (PreparedStatement select = db.prepareStatement(query); ResultSet row = select.executeQuery()) {
            return row.next()
                    ? Optional.of(new Bucket(RowTable.ofCode(row.getInt(1)), row.getInt(2), row.getLong(3),
                            row.getInt(4)))
                    : Optional.empty();
        }
    }
}

package org.medida.edge.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The pending rows of one class, one meter and one UTC day (days since the epoch). */
record Bucket(RowTable table, int meterId, long day, int entries) {

    static final long DAY_MS = 86_400_000L;

    static long dayOf(long atMs) {
        return Math.floorDiv(atMs, DAY_MS);
    }

    long dayStartMs() {
        return day * DAY_MS;
    }

    long dayEndMs() {
        return dayStartMs() + DAY_MS;
    }

    /** Binds {@link RowTable#DAY_OF_METER}'s three parameters from {@code first} on. */
    void bindDay(PreparedStatement statement, int first) throws SQLException {
        statement.setInt(first, meterId);
        statement.setLong(first + 1, dayStartMs());
        statement.setLong(first + 2, dayEndMs());
    }
}

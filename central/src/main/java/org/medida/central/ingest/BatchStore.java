package org.medida.central.ingest;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.medida.central.db.Dialect;
import org.medida.edge.api.Batch;
import org.medida.edge.api.DataDropped;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.ProfileGap;
import org.medida.edge.api.RegisterReading;

/**
 * Writes a decoded batch into the database as one transaction: the meter (created on first sight, linked to the
 * gateway it came through), the reading types its rows need, every row with insert-or-ignore on its natural key,
 * and a record of the ingestion. A batch sent again, or rows repeated under a new batch id, add nothing: they count
 * as duplicates. A batch with a row central has no meaning for is refused before anything is written.
 * <p>
 * Owns its connection's transactions; one instance per writer thread.
 */
final class BatchStore {

    private static final String UPSERT_METER = "INSERT INTO meters (serial, gateway_id, first_seen) VALUES (?, ?, ?) "
            + "ON CONFLICT (serial) DO UPDATE SET gateway_id = excluded.gateway_id";
    private static final String METER_ID = "SELECT meter_id FROM meters WHERE serial = ?";
    private static final String SEEN = "UPDATE gateways SET last_seen = ? WHERE gateway_id = ?";
    private static final String INSERT_READING_TYPE = "INSERT INTO reading_types (code, obis, unit, description) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String READING_TYPE_ID = "SELECT reading_type_id FROM reading_types WHERE code = ?";
    private static final RowInsert INSERT_INTERVAL = new RowInsert("interval_values",
            "meter_id", "reading_type_id", "end_at", "value", "status");
    private static final RowInsert INSERT_READING = new RowInsert("readings",
            "meter_id", "reading_type_id", "at", "value", "read_at");
    private static final RowInsert INSERT_EVENT = new RowInsert("events",
            "meter_id", "log", "at", "code", "duration_seconds");
    private static final RowInsert INSERT_GAP = new RowInsert("gaps", "meter_id", "profile_obis", "from_end", "to_end");
    private static final RowInsert INSERT_DROP = new RowInsert("drops", "meter_id", "from_end", "to_end", "entries");
    /**
     * Rows per multi-row INSERT: one statement (one round trip to PostgreSQL, where a JDBC batch of single-row
     * inserts costs the server a statement per row) for a typical batch's rows, well under both databases'
     * parameter limits.
     */
    private static final int ROWS_PER_STATEMENT = 100;
    private static final String RECORD = "INSERT INTO ingested_batches "
            + "(gateway_id, batch_id, serial, day, data_class, rows_added, rows_duplicate, committed_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final Connection connection;
    private final Dialect dialect;
    private final List<IngestListener> listeners;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    /** Reading type ids by code; only ids of committed rows (cleared when a transaction rolls back). */
    private final Map<String, Long> readingTypeIds = new HashMap<>();

    /** Takes over {@code connection} for its transactions (auto-commit off); tells {@code listeners} of each batch. */
    BatchStore(Connection connection, Dialect dialect, List<IngestListener> listeners) throws SQLException {
        this.connection = connection;
        this.dialect = dialect;
        this.listeners = listeners;
        connection.setAutoCommit(false);
    }

    /** What storing a batch did: rows new to the database, and rows it already held. */
    record Stored(long batchId, int added, int duplicates) {
    }

    /** A row's values in column order after (meter, reading type), ready to bind. */
    private record Row(ReadingType type, long time, BigDecimal value, long extra) {
    }

    /**
     * Stores {@code batch} from {@code gatewayId} and commits. Refused before any write if a row has no reading
     * type; a database failure rolls everything back and is rethrown.
     */
    Stored store(String gatewayId, Batch batch, Instant now) throws RefusedBatchException, SQLException {
        Stored stored = write(gatewayId, batch, now);
        commit();
        return stored;
    }

    /**
     * Writes {@code batch} into the open transaction without committing it, so that several batches can share one
     * commit (one fsync). Refused before any write if a row has no reading type; a database failure rolls the
     * whole open transaction back and is rethrown. A null {@code gatewayId} is a batch central read itself from a
     * registered point-to-point meter: it changes nothing about the meter and is not recorded among the gateways'
     * ingested batches.
     */
    Stored write(String gatewayId, Batch batch, Instant now) throws RefusedBatchException, SQLException {
        List<Row> typedRows = typedRows(batch);
        try {
            long meterId = meter(batch.serial(), gatewayId, now);
            int added = switch (batch.dataClass()) {
                case INTERVALS, REGISTERS -> insertTyped(meterId, batch, typedRows);
                case EVENTS -> insertEvents(meterId, ((Batch.Events) batch).events());
                case GAPS -> insertGaps(meterId, ((Batch.Gaps) batch).gaps());
                case DROPS -> insertDrops(meterId, ((Batch.Drops) batch).drops());
            };
            int rows = typedRows.isEmpty() ? batch.size() : typedRows.size();
            if (gatewayId != null) {
                record(gatewayId, batch, added, rows - added, now);
            }
            for (IngestListener listener : listeners) {
                listener.batchWritten(connection, gatewayId, batch, now);
            }
            return new Stored(batch.id(), added, rows - added);
        } catch (SQLException | RuntimeException e) {
            rollback(e);
            throw e;
        }
    }

    /** Commits what {@link #write} wrote; a failure rolls it back and is rethrown. */
    void commit() throws SQLException {
        try {
            connection.commit();
        } catch (SQLException e) {
            rollback(e);
            throw e;
        }
    }

    // ---- validation: every interval value and register gets its reading type, or the batch is refused

    private static List<Row> typedRows(Batch batch) throws RefusedBatchException {
        List<Row> rows = new ArrayList<>();
        if (batch instanceof Batch.Intervals intervals) {
            for (IntervalBlock block : intervals.blocks()) {
                ReadingType[] types = channelTypes(block);
                for (Interval interval : block.intervals()) {
                    long end = interval.end().toEpochMilli();
                    for (int c = 0; c < types.length; c++) {
                        rows.add(new Row(types[c], end, interval.values().get(c), interval.status()));
                    }
                }
            }
        } else if (batch instanceof Batch.Registers registers) {
            for (RegisterReading reading : registers.readings()) {
                boolean captured = reading.captureTime() != null;
                ReadingType type = ReadingType.ofRegister(reading.obis(), reading.unit(), captured);
                long at = (captured ? reading.captureTime() : reading.readAt()).toEpochMilli();
                rows.add(new Row(type, at, reading.value(), reading.readAt().toEpochMilli()));
            }
        }
        return rows;
    }

    private static ReadingType[] channelTypes(IntervalBlock block) throws RefusedBatchException {
        ReadingType[] types = new ReadingType[block.channels().size()];
        Set<String> codes = new HashSet<>();
        for (int c = 0; c < types.length; c++) {
            var channel = block.channels().get(c);
            types[c] = ReadingType.ofProfileChannel(channel.obis(), channel.unit(), block.capturePeriod());
            if (!codes.add(types[c].code())) {
                throw new RefusedBatchException("profile " + block.profileObis() + " has two channels of "
                        + types[c].description());
            }
        }
        return types;
    }

    // ---- writes, inside the batch's transaction

    private long meter(String serial, String gatewayId, Instant now) throws SQLException {
        // a point-to-point meter central read itself is registered already, and linked to no gateway
        if (gatewayId != null) {
            PreparedStatement upsert = statement(UPSERT_METER);
            upsert.setString(1, serial);
            upsert.setString(2, gatewayId);
            upsert.setLong(3, now.toEpochMilli());
            upsert.executeUpdate();
            PreparedStatement seen = statement(SEEN);
            seen.setLong(1, now.toEpochMilli());
            seen.setString(2, gatewayId);
            seen.executeUpdate();
        }
        PreparedStatement select = statement(METER_ID);
        select.setString(1, serial);
        return single(select);
    }

    private int insertTyped(long meterId, Batch batch, List<Row> rows) throws SQLException {
        return insert(batch instanceof Batch.Intervals ? INSERT_INTERVAL : INSERT_READING, meterId, rows,
                (insert, base, row) -> {
                    insert.setLong(base + 2, readingTypeId(row.type()));
                    insert.setLong(base + 3, row.time());
                    dialect.bindDecimal(insert, base + 4, row.value());
                    insert.setLong(base + 5, row.extra());
                });
    }

    private int insertEvents(long meterId, List<MeterEvent> events) throws SQLException {
        return insert(INSERT_EVENT, meterId, events, (insert, base, event) -> {
            insert.setString(base + 2, event.log().name());
            insert.setLong(base + 3, event.timestamp().toEpochMilli());
            insert.setInt(base + 4, event.code());
            insert.setLong(base + 5, event.durationSeconds());
        });
    }

    private int insertGaps(long meterId, List<ProfileGap> gaps) throws SQLException {
        return insert(INSERT_GAP, meterId, gaps, (insert, base, gap) -> {
            insert.setString(base + 2, gap.profileObis());
            insert.setLong(base + 3, gap.from().toEpochMilli());
            insert.setLong(base + 4, gap.to().toEpochMilli());
        });
    }

    private int insertDrops(long meterId, List<DataDropped> drops) throws SQLException {
        return insert(INSERT_DROP, meterId, drops, (insert, base, drop) -> {
            insert.setLong(base + 2, drop.from().toEpochMilli());
            insert.setLong(base + 3, drop.to().toEpochMilli());
            insert.setLong(base + 4, drop.entries());
        });
    }

    /** An insert-or-ignore into {@code table}, the meter id first, for any number of rows. */
    private record RowInsert(String table, String... columns) {
        String sql(int rows) {
            String row = "(" + String.join(", ", Collections.nCopies(columns.length, "?")) + ")";
            return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES "
                    + String.join(", ", Collections.nCopies(rows, row)) + " ON CONFLICT DO NOTHING";
        }
    }

    /**
     * Binds the columns after the meter id of one row; the meter id is parameter {@code base + 1}, the row's next
     * column {@code base + 2}.
     */
    private interface Binder<T> {
        void bind(PreparedStatement insert, int base, T row) throws SQLException;
    }

    /**
     * Inserts {@code rows} of the meter, {@link #ROWS_PER_STATEMENT} per statement; returns how many were new (a
     * row ignored on a conflict is not counted: both databases count only the rows a statement added).
     */
    private <T> int insert(RowInsert target, long meterId, List<T> rows, Binder<T> binder) throws SQLException {
        int added = 0;
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<T> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            // A full chunk's statement is kept; the last, shorter one of a batch is prepared for the occasion.
            boolean full = chunk.size() == ROWS_PER_STATEMENT;
            PreparedStatement insert = full ? statement(target.sql(ROWS_PER_STATEMENT))
                    : connection.prepareStatement(target.sql(chunk.size()));
            try {
                int base = 0;
                for (T row : chunk) {
                    insert.setLong(base + 1, meterId);
                    binder.bind(insert, base, row);
                    base += target.columns().length;
                }
                added += insert.executeUpdate();
            } finally {
                if (!full) {
                    insert.close();
                }
            }
        }
        return added;
    }

    private void record(String gatewayId, Batch batch, int added, int duplicates, Instant now) throws SQLException {
        PreparedStatement insert = statement(RECORD);
        insert.setString(1, gatewayId);
        insert.setLong(2, batch.id());
        insert.setString(3, batch.serial());
        insert.setString(4, batch.day().toString());
        insert.setString(5, batch.dataClass().name());
        insert.setInt(6, added);
        insert.setInt(7, duplicates);
        insert.setLong(8, now.toEpochMilli());
        insert.executeUpdate();
    }

    private long readingTypeId(ReadingType type) throws SQLException {
        Long known = readingTypeIds.get(type.code());
        if (known != null) {
            return known;
        }
        PreparedStatement insert = statement(INSERT_READING_TYPE);
        insert.setString(1, type.code());
        insert.setString(2, type.obis());
        insert.setString(3, type.unit());
        insert.setString(4, type.description());
        insert.executeUpdate();
        PreparedStatement select = statement(READING_TYPE_ID);
        select.setString(1, type.code());
        long id = single(select);
        readingTypeIds.put(type.code(), id);
        return id;
    }

    private static long single(PreparedStatement select) throws SQLException {
        try (ResultSet rows = select.executeQuery()) {
            if (!rows.next()) {
                throw new SQLException("no row for " + select);
            }
            return rows.getLong(1);
        }
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    private void rollback(Exception cause) {
        readingTypeIds.clear();
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}

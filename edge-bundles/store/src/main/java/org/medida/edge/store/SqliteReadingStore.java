package org.medida.edge.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import org.medida.edge.api.AppendResult;
import org.medida.edge.api.Backlog;
import org.medida.edge.api.Batch;
import org.medida.edge.api.BatchLimits;
import org.medida.edge.api.DataClass;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.ProfileGap;
import org.medida.edge.api.ReadingStore;
import org.medida.edge.api.RegisterReading;
import org.sqlite.SQLiteConfig;

/**
 * The {@link ReadingStore} on one SQLite file, usable as plain Java: {@link #open}, use from any threads, close.
 * <p>
 * Durability: WAL journal with {@code synchronous=FULL}, so every append and confirm is fsynced to the WAL before it
 * returns. NORMAL would survive a crashed process too, but a power cut could take the last appends back after the
 * collector had moved its high-water mark past them: those readings would be lost for good. One fsync per append is
 * cheap at the rate meters are read. Every public operation is one transaction; one connection serves them in turn
 * (SQLite has one writer anyway), so the methods are synchronized.
 * <p>
 * Failures of the database itself (disk full, file unreadable) throw {@link IllegalStateException}; the operation
 * changed nothing.
 */
public final class SqliteReadingStore implements ReadingStore, AutoCloseable {

    private final Connection db;
    private final Names meters;
    private final Names obis;
    private final ProfileLayouts profiles;
    private final Pending pending;
    private final Batches batches;
    private final DiskBudget budget;

    private SqliteReadingStore(Connection db, long maxBytes) throws SQLException {
        this.db = db;
        this.meters = new Names(db, "meter");
        this.obis = new Names(db, "obis");
        this.profiles = new ProfileLayouts(db);
        this.pending = new Pending(db);
        this.batches = new Batches(db, pending, new BatchContents(db, meters, obis, profiles));
        this.budget = new DiskBudget(db, pending, maxBytes);
    }

    public static SqliteReadingStore open(StoreSettings settings) {
        Path database = settings.database().toAbsolutePath();
        try {
            Files.createDirectories(database.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the store's directory " + database.getParent(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        // the WAL is truncated back to this size after a checkpoint, so it adds at most a few MiB to the budget
        config.setJournalSizeLimit(4 * 1024 * 1024);
        Connection db = null;
        try {
            db = config.createConnection("jdbc:sqlite:" + database);
            db.setAutoCommit(false);
            Schema.create(db);
            db.commit();
            return new SqliteReadingStore(db, settings.maxBytes());
        } catch (SQLException e) {
            closeQuietly(db, e);
            throw new IllegalStateException("cannot open the store " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized AppendResult appendIntervals(IntervalBlock block) {
        Objects.requireNonNull(block, "block");
        requireName(block.serial(), "meter serial");
        requireName(block.profileObis(), "profile OBIS");
        Objects.requireNonNull(block.capturePeriod(), "capture period");
        for (Interval interval : block.intervals()) {
            Objects.requireNonNull(interval.end(), "interval end");
            if (interval.values().size() != block.channels().size()) {
                throw new IllegalArgumentException("an interval ending " + interval.end() + " has "
                        + interval.values().size() + " values for " + block.channels().size() + " channels");
            }
        }
        if (!transaction(budget::makeRoom)) {
            return AppendResult.refused();
        }
        return transaction(() -> {
            int profileId = profiles.idOf(ProfileLayout.of(block));
            return insertAll(RowTable.INTERVALS, block.serial(), block.intervals(), Interval::end,
                    "INSERT INTO interval_entry(meter_id, at_ms, profile_id, status, vals) VALUES (?, ?, ?, ?, ?)",
                    (insert, interval) -> {
                        insert.setInt(3, profileId);
                        insert.setInt(4, interval.status());
                        insert.setBytes(5, ValueCodec.encode(interval.values()));
                    });
        });
    }

    @Override
    public synchronized AppendResult appendRegisters(String serial, List<RegisterReading> readings) {
        requireName(serial, "meter serial");
        Objects.requireNonNull(readings, "readings");
        return appendNeverDropped(() -> insertAll(RowTable.REGISTERS, serial, readings,
                reading -> reading.captureTime() != null ? reading.captureTime() : reading.readAt(),
                "INSERT INTO register_reading(meter_id, at_ms, obis_id, captured, read_ms, unit, val)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (insert, reading) -> {
                    insert.setInt(3, obis.idOf(reading.obis()));
                    insert.setBoolean(4, reading.captureTime() != null);
                    insert.setLong(5, reading.readAt().toEpochMilli());
                    insert.setString(6, reading.unit());
                    insert.setBytes(7, ValueCodec.encode(List.of(reading.value())));
                }));
    }

    @Override
    public synchronized AppendResult appendEvents(String serial, List<MeterEvent> events) {
        requireName(serial, "meter serial");
        Objects.requireNonNull(events, "events");
        for (MeterEvent event : events) {
            Objects.requireNonNull(event.log(), "event log");
            Objects.requireNonNull(event.timestamp(), "event time stamp");
        }
        return appendNeverDropped(() -> insertAll(RowTable.EVENTS, serial, events, MeterEvent::timestamp,
                "INSERT INTO meter_event(meter_id, at_ms, log_id, code, duration_s) VALUES (?, ?, ?, ?, ?)",
                (insert, event) -> {
                    insert.setInt(3, obis.idOf(event.log().obis()));
                    insert.setInt(4, event.code());
                    insert.setLong(5, event.durationSeconds());
                }));
    }

    @Override
    public synchronized AppendResult appendGap(ProfileGap gap) {
        Objects.requireNonNull(gap, "gap");
        requireName(gap.serial(), "meter serial");
        requireName(gap.profileObis(), "profile OBIS");
        return appendNeverDropped(() -> insertAll(RowTable.GAPS, gap.serial(), List.of(gap), ProfileGap::from,
                "INSERT INTO profile_gap(meter_id, at_ms, obis_id, to_ms) VALUES (?, ?, ?, ?)",
                (insert, stored) -> {
                    insert.setInt(3, obis.idOf(stored.profileObis()));
                    insert.setLong(4, stored.to().toEpochMilli());
                }));
    }

    @Override
    public synchronized Optional<Batch> nextBatch(BatchLimits limits) {
        Objects.requireNonNull(limits, "limits");
        return transaction(() -> batches.next(limits.maxEntries()));
    }

    @Override
    public synchronized boolean confirm(long batchId) {
        return transaction(() -> batches.confirm(batchId));
    }

    @Override
    public synchronized boolean release(long batchId) {
        return batches.release(batchId);
    }

    @Override
    public synchronized Backlog backlog() {
        return transaction(() -> {
            Map<DataClass, Long> entries = new EnumMap<>(DataClass.class);
            for (DataClass dataClass : DataClass.values()) {
                entries.put(dataClass, 0L);
            }
            int openBatches;
            try (Statement select = db.createStatement()) {
                try (ResultSet rows = select.executeQuery("SELECT class, sum(entries) FROM (SELECT class, entries"
                        + " FROM pending UNION ALL SELECT class, entries FROM batch) GROUP BY class")) {
                    while (rows.next()) {
                        entries.put(RowTable.ofCode(rows.getInt(1)).dataClass, rows.getLong(2));
                    }
                }
                try (ResultSet row = select.executeQuery("SELECT count(*) FROM batch")) {
                    row.next();
                    openBatches = row.getInt(1);
                }
            }
            return new Backlog(entries, openBatches, budget.usedBytes(), budget.maxBytes());
        });
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close the store: " + e.getMessage(), e);
        }
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    private interface Binder<T> {
        /** Binds the parameters after meter id and time (3, 4, ...). */
        void bind(PreparedStatement insert, T row) throws SQLException;
    }

    /** Registers, events and gaps are kept beyond the budget; they make room by dropping interval data if any. */
    private AppendResult appendNeverDropped(Work<AppendResult> append) {
        transaction(budget::makeRoom);
        return transaction(append);
    }

    /**
     * Inserts the rows of one meter, skipping those whose key is stored already, and counts the new ones as pending
     * per day. The statement's first two parameters are the meter id and the row's time.
     */
    private <T> AppendResult insertAll(RowTable table, String serial, List<T> rows, Function<T, Instant> timeOf,
            String insertSql, Binder<T> binder) throws SQLException {
        int meterId = meters.idOf(serial);
        Map<Long, Integer> addedPerDay = new TreeMap<>();
        int added = 0;
        try (PreparedStatement insert = db.prepareStatement(insertSql + " ON CONFLICT DO NOTHING")) {
            for (T row : rows) {
                long atMs = timeOf.apply(row).toEpochMilli();
                insert.setInt(1, meterId);
                insert.setLong(2, atMs);
                binder.bind(insert, row);
                if (insert.executeUpdate() == 1) {
                    added++;
                    addedPerDay.merge(Bucket.dayOf(atMs), 1, Integer::sum);
                }
            }
        }
        pending.add(table, meterId, addedPerDay);
        return AppendResult.stored(added, rows.size() - added);
    }

    private <T> T transaction(Work<T> work) {
        try {
            T result = work.run();
            db.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(e);
            throw e instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("store operation failed: " + e.getMessage(), e);
        }
    }

    /** Undoes the transaction and the ids cached during it. */
    private void rollback(Exception cause) {
        try {
            db.rollback();
            meters.forget();
            obis.forget();
            profiles.forget();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void requireName(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " missing");
        }
    }

    private static void closeQuietly(Connection db, Exception cause) {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
    }
}

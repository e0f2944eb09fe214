package org.medida.edge.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's tables. Rows are keyed by what makes them unique at the meter, so a repeated read is recognised by the
 * primary key alone; the keys lead with (meter, time), so a meter's day is one contiguous range of the B-tree and
 * forming, reading and deleting a batch touches only that range. Profile entries live in a WITHOUT ROWID table with
 * integer ids and packed values (see {@link ValueCodec}): about 30 bytes per entry on disk.
 */
final class Schema {

    static final int VERSION = 1;

    private static final List<String> TABLES = List.of(
            "CREATE TABLE IF NOT EXISTS meter(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
            "CREATE TABLE IF NOT EXISTS obis(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
            "CREATE TABLE IF NOT EXISTS profile(id INTEGER PRIMARY KEY, obis TEXT NOT NULL, period_s INTEGER NOT NULL)",
            "CREATE TABLE IF NOT EXISTS profile_channel(profile_id INTEGER NOT NULL, position INTEGER NOT NULL,"
                    + " obis TEXT NOT NULL, unit TEXT NOT NULL, PRIMARY KEY(profile_id, position)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS interval_entry(meter_id INTEGER NOT NULL, at_ms INTEGER NOT NULL,"
                    + " profile_id INTEGER NOT NULL, status INTEGER NOT NULL, vals BLOB NOT NULL, batch_id INTEGER,"
                    + " PRIMARY KEY(meter_id, at_ms, profile_id)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS register_reading(meter_id INTEGER NOT NULL, at_ms INTEGER NOT NULL,"
                    + " obis_id INTEGER NOT NULL, captured INTEGER NOT NULL, read_ms INTEGER NOT NULL,"
                    + " unit TEXT NOT NULL, val BLOB NOT NULL, batch_id INTEGER,"
                    + " PRIMARY KEY(meter_id, at_ms, obis_id)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS meter_event(meter_id INTEGER NOT NULL, at_ms INTEGER NOT NULL,"
                    + " log_id INTEGER NOT NULL, code INTEGER NOT NULL, duration_s INTEGER NOT NULL, batch_id INTEGER,"
                    + " PRIMARY KEY(meter_id, at_ms, log_id, code)) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS profile_gap(meter_id INTEGER NOT NULL, at_ms INTEGER NOT NULL,"
                    + " obis_id INTEGER NOT NULL, to_ms INTEGER NOT NULL, batch_id INTEGER,"
                    + " PRIMARY KEY(meter_id, at_ms, obis_id)) WITHOUT ROWID",
            // a meter-day can be dropped more than once (appended again after a drop), so drops get their own id
            "CREATE TABLE IF NOT EXISTS data_dropped(id INTEGER PRIMARY KEY, meter_id INTEGER NOT NULL,"
                    + " at_ms INTEGER NOT NULL, to_ms INTEGER NOT NULL, entries INTEGER NOT NULL, batch_id INTEGER)",
            "CREATE INDEX IF NOT EXISTS data_dropped_by_day ON data_dropped(meter_id, at_ms)",
            // what is not yet in a batch, per class, day and meter: the queue the next batch is taken from
            "CREATE TABLE IF NOT EXISTS pending(class INTEGER NOT NULL, day INTEGER NOT NULL,"
                    + " meter_id INTEGER NOT NULL, entries INTEGER NOT NULL,"
                    + " PRIMARY KEY(class, day, meter_id)) WITHOUT ROWID",
            // AUTOINCREMENT: a batch id is never reused, even after the newest batch was confirmed and deleted
            "CREATE TABLE IF NOT EXISTS batch(id INTEGER PRIMARY KEY AUTOINCREMENT, class INTEGER NOT NULL,"
                    + " meter_id INTEGER NOT NULL, day INTEGER NOT NULL, entries INTEGER NOT NULL)");

    private Schema() {
    }

    static void create(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            for (String table : TABLES) {
                statement.executeUpdate(table);
            }
            statement.executeUpdate("PRAGMA user_version = " + VERSION);
        }
    }
}

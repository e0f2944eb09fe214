package org.medida.central.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema as numbered migrations, applied in order inside one transaction each; {@code schema_version} records
 * the last one applied, so opening an existing database only runs what it has not seen. New versions are appended,
 * never edited.
 * <p>
 * Version 1, the ingest: gateways and meters; reading types keyed by their IEC 61968-9 code; readings and
 * interval values unique on (meter, reading type, time), events on (meter, log, time, code), gaps on (meter,
 * profile, from), drop reports on (meter, from, to) — so a batch sent twice lands once; the batches ingested, for
 * diagnosis; command results by correlation id.
 */
final class Schema {

    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE gateways (
              gateway_id TEXT PRIMARY KEY,
              online INTEGER NOT NULL DEFAULT 0,
              session BIGINT,
              status_at BIGINT,
              software TEXT NOT NULL DEFAULT '',
              last_seen BIGINT,
              added_at BIGINT NOT NULL)""",
            """
            CREATE TABLE meters (
              meter_id {id},
              serial TEXT NOT NULL UNIQUE,
              gateway_id TEXT NOT NULL REFERENCES gateways (gateway_id),
              first_seen BIGINT NOT NULL)""",
            """
            CREATE TABLE reading_types (
              reading_type_id {id},
              code TEXT NOT NULL UNIQUE,
              obis TEXT NOT NULL,
              unit TEXT NOT NULL,
              description TEXT NOT NULL)""",
            """
            CREATE TABLE readings (
              meter_id BIGINT NOT NULL REFERENCES meters (meter_id),
              reading_type_id BIGINT NOT NULL REFERENCES reading_types (reading_type_id),
              at BIGINT NOT NULL,
              value {decimal} NOT NULL,
              read_at BIGINT NOT NULL,
              PRIMARY KEY (meter_id, reading_type_id, at)){clustered}""",
            """
            CREATE TABLE interval_values (
              meter_id BIGINT NOT NULL REFERENCES meters (meter_id),
              reading_type_id BIGINT NOT NULL REFERENCES reading_types (reading_type_id),
              end_at BIGINT NOT NULL,
              value {decimal} NOT NULL,
              status INTEGER NOT NULL,
              PRIMARY KEY (meter_id, reading_type_id, end_at)){clustered}""",
            """
            CREATE TABLE events (
              meter_id BIGINT NOT NULL REFERENCES meters (meter_id),
              log TEXT NOT NULL,
              at BIGINT NOT NULL,
              code INTEGER NOT NULL,
              duration_seconds BIGINT NOT NULL,
              PRIMARY KEY (meter_id, log, at, code)){clustered}""",
            """
            CREATE TABLE gaps (
              meter_id BIGINT NOT NULL REFERENCES meters (meter_id),
              profile_obis TEXT NOT NULL,
              from_end BIGINT NOT NULL,
              to_end BIGINT NOT NULL,
              PRIMARY KEY (meter_id, profile_obis, from_end)){clustered}""",
            """
            CREATE TABLE drops (
              meter_id BIGINT NOT NULL REFERENCES meters (meter_id),
              from_end BIGINT NOT NULL,
              to_end BIGINT NOT NULL,
              entries BIGINT NOT NULL,
              PRIMARY KEY (meter_id, from_end, to_end)){clustered}""",
            """
            CREATE TABLE ingested_batches (
              ingest_id {id},
              gateway_id TEXT NOT NULL REFERENCES gateways (gateway_id),
              batch_id BIGINT NOT NULL,
              serial TEXT NOT NULL,
              day TEXT NOT NULL,
              data_class TEXT NOT NULL,
              rows_added INTEGER NOT NULL,
              rows_duplicate INTEGER NOT NULL,
              committed_at BIGINT NOT NULL)""",
            "CREATE INDEX ingested_batches_by_gateway ON ingested_batches (gateway_id, batch_id)",
            """
            CREATE TABLE command_results (
              correlation_id TEXT PRIMARY KEY,
              gateway_id TEXT NOT NULL REFERENCES gateways (gateway_id),
              serial TEXT NOT NULL,
              status TEXT NOT NULL,
              detail TEXT NOT NULL,
              completed_at BIGINT NOT NULL,
              received_at BIGINT NOT NULL,
              relay_closed INTEGER,
              control_state INTEGER)""",
            """
            CREATE TABLE command_result_registers (
              correlation_id TEXT NOT NULL REFERENCES command_results (correlation_id),
              position INTEGER NOT NULL,
              obis TEXT NOT NULL,
              unit TEXT NOT NULL,
              value {decimal} NOT NULL,
              capture_time BIGINT,
              read_at BIGINT NOT NULL,
              PRIMARY KEY (correlation_id, position))"""));

    private Schema() {
    }

    static void migrate(Connection connection, Dialect dialect) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        }
        int current = currentVersion(connection);
        for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
            apply(connection, dialect, version);
        }
    }

    private static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static void apply(Connection connection, Dialect dialect, int version) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (String sql : MIGRATIONS.get(version - 1)) {
                statement.execute(dialect.expand(sql));
            }
            statement.executeUpdate("INSERT INTO schema_version (version) VALUES (" + version + ")");
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw new SQLException("schema migration to version " + version + " failed: " + e.getMessage(), e);
        } finally {
            connection.setAutoCommit(true);
        }
    }
}

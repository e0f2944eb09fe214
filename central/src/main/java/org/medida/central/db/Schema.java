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
 * <p>
 * Version 2, operations: provisioning (gateway and meter inventory, usage points, groups, inventory changes sent
 * to gateways), work orders, mass read plans and their deliveries, events and alarms, operators and the audit log.
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
              gateway_id TEXT REFERENCES gateways (gateway_id),
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
              PRIMARY KEY (correlation_id, position))"""),
            List.of(
            // --- provisioning (M1, M2, M3, M4, M6, M7) ---
            "ALTER TABLE gateways ADD COLUMN hardware_type TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE gateways ADD COLUMN hardware_serial TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE gateways ADD COLUMN substation TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE gateways ADD COLUMN transformer TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE gateways ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC'",
            "ALTER TABLE gateways ADD COLUMN comm_type TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE gateways ADD COLUMN ip TEXT NOT NULL DEFAULT ''",
            // installed | in_service | retired
            "ALTER TABLE gateways ADD COLUMN state TEXT NOT NULL DEFAULT 'in_service'",
            // discovered (seen in data, never provisioned) | registered | commissioned | decommissioned
            "ALTER TABLE meters ADD COLUMN state TEXT NOT NULL DEFAULT 'discovered'",
            "ALTER TABLE meters ADD COLUMN state_since BIGINT",
            "ALTER TABLE meters ADD COLUMN meter_type TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE meters ADD COLUMN manufacturer TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE meters ADD COLUMN firmware TEXT NOT NULL DEFAULT ''",
            // gateway (concentrated: reached through gateway_id) | point_to_point (central talks DLMS to it)
            "ALTER TABLE meters ADD COLUMN connection TEXT NOT NULL DEFAULT 'gateway'",
            // DLMS addressing, as in the gateway's meters file (transport, host, port, logical device, ...)
            "ALTER TABLE meters ADD COLUMN transport TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE meters ADD COLUMN host TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE meters ADD COLUMN port INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE meters ADD COLUMN logical_device INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE meters ADD COLUMN physical_address INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE meters ADD COLUMN channel TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE meters ADD COLUMN security TEXT NOT NULL DEFAULT 'none'",
            // password and keys, AES-GCM under central's key file: never in logs or API answers
            "ALTER TABLE meters ADD COLUMN secrets_encrypted TEXT NOT NULL DEFAULT ''",
            // comma-separated: disconnector,limiter,load_profile,events,instantaneous,clock
            "ALTER TABLE meters ADD COLUMN capabilities TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE meters ADD COLUMN reachable INTEGER",
            "ALTER TABLE meters ADD COLUMN last_success BIGINT",
            "ALTER TABLE meters ADD COLUMN last_failure BIGINT",
            "ALTER TABLE meters ADD COLUMN last_failure_reason TEXT NOT NULL DEFAULT ''",
            // contract (M7): profile, state (active | suspended | ended), tariff
            "ALTER TABLE meters ADD COLUMN contract_profile TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE meters ADD COLUMN contract_state TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE meters ADD COLUMN tariff_profile TEXT NOT NULL DEFAULT ''",
            // the relay as last read back (1 closed, 0 open), from a command outcome
            "ALTER TABLE meters ADD COLUMN relay_closed INTEGER",
            """
            CREATE TABLE usage_points (
              usage_point_id {id},
              pod TEXT NOT NULL UNIQUE,
              address TEXT NOT NULL DEFAULT '',
              latitude {decimal},
              longitude {decimal},
              created_at BIGINT NOT NULL)""",
            // meter <-> usage point over time; the open link has unlinked_at NULL
            """
            CREATE TABLE meter_usage_points (
              meter_id BIGINT NOT NULL REFERENCES meters (meter_id),
              usage_point_id BIGINT NOT NULL REFERENCES usage_points (usage_point_id),
              linked_at BIGINT NOT NULL,
              unlinked_at BIGINT,
              PRIMARY KEY (meter_id, linked_at))""",
            // named groups of meters, targets of plans
            """
            CREATE TABLE meter_groups (
              group_name TEXT NOT NULL,
              meter_id BIGINT NOT NULL REFERENCES meters (meter_id),
              PRIMARY KEY (group_name, meter_id))""",
            // inventory changes sent to a gateway (commission, decommission, relink) and their confirmation;
            // state: PENDING | SENT | CONFIRMED | FAILED
            """
            CREATE TABLE inventory_changes (
              correlation_id TEXT PRIMARY KEY,
              gateway_id TEXT NOT NULL REFERENCES gateways (gateway_id),
              serial TEXT NOT NULL,
              action TEXT NOT NULL,
              state TEXT NOT NULL,
              detail TEXT NOT NULL DEFAULT '',
              requested_at BIGINT NOT NULL,
              sent_at BIGINT,
              confirmed_at BIGINT)""",
            // --- work orders (W1-W5, R1, M5, X2) ---
            // state: PENDING (valid, waiting to be sent: gateway offline, not before) | SENT | EXE | WARN | FAIL
            // attempt n > 1 goes out under "<correlation_id>/n", so a retry is a new request at the gateway (X2 replay
            // memory) and its outcome a new command result; relay_closed/control_state: the supply state read back
            """
            CREATE TABLE work_orders (
              correlation_id TEXT PRIMARY KEY,
              serial TEXT NOT NULL,
              gateway_id TEXT,
              kind TEXT NOT NULL,
              argument BIGINT NOT NULL DEFAULT 0,
              priority TEXT NOT NULL,
              state TEXT NOT NULL,
              reason TEXT NOT NULL DEFAULT '',
              origin TEXT NOT NULL,
              plan_id BIGINT,
              attempts INTEGER NOT NULL DEFAULT 0,
              max_attempts INTEGER NOT NULL DEFAULT 1,
              retry_after_seconds BIGINT NOT NULL DEFAULT 0,
              created_at BIGINT NOT NULL,
              not_before BIGINT NOT NULL,
              expires_at BIGINT NOT NULL,
              sent_at BIGINT,
              completed_at BIGINT,
              relay_closed INTEGER,
              control_state INTEGER)""",
            // what an order's outcome read, from a gateway or a point-to-point link alike
            """
            CREATE TABLE work_order_registers (
              correlation_id TEXT NOT NULL REFERENCES work_orders (correlation_id),
              position INTEGER NOT NULL,
              obis TEXT NOT NULL,
              unit TEXT NOT NULL,
              value {decimal} NOT NULL,
              capture_time BIGINT,
              read_at BIGINT NOT NULL,
              PRIMARY KEY (correlation_id, position))""",
            "CREATE INDEX work_orders_by_meter ON work_orders (serial, created_at)",
            "CREATE INDEX work_orders_by_state ON work_orders (state, gateway_id)",
            "CREATE INDEX work_orders_by_plan ON work_orders (plan_id, serial)",
            // --- mass read plans (P1-P4) ---
            // target_kind: list | gateway | group | all (target: serials comma-separated, gateway id, group name);
            // kinds: comma-separated TaskKind names; state: ACTIVE | DONE | CANCELLED;
            // daily plans run every day from first_day, in their window (HH:MM, UTC)
            """
            CREATE TABLE plans (
              plan_id {id},
              name TEXT NOT NULL,
              target_kind TEXT NOT NULL,
              target TEXT NOT NULL DEFAULT '',
              kinds TEXT NOT NULL,
              first_day TEXT NOT NULL,
              last_day TEXT,
              window_start TEXT NOT NULL,
              window_end TEXT NOT NULL,
              max_attempts INTEGER NOT NULL,
              retry_after_seconds BIGINT NOT NULL,
              daily INTEGER NOT NULL DEFAULT 0,
              state TEXT NOT NULL,
              created_by TEXT NOT NULL,
              created_at BIGINT NOT NULL)""",
            // per meter and day of a plan: WAITING | RUNNING | EXE | WARN | FAIL, with the last correlation id;
            // the plan's kinds run one after the other: step is the index of the current one, outcome the worst
            // final state of the steps done so far (EXE | WARN | FAIL)
            """
            CREATE TABLE plan_meters (
              plan_id BIGINT NOT NULL REFERENCES plans (plan_id),
              day TEXT NOT NULL,
              serial TEXT NOT NULL,
              state TEXT NOT NULL,
              reason TEXT NOT NULL DEFAULT '',
              correlation_id TEXT,
              attempts INTEGER NOT NULL DEFAULT 0,
              step INTEGER NOT NULL DEFAULT 0,
              outcome TEXT NOT NULL DEFAULT 'EXE',
              updated_at BIGINT NOT NULL,
              PRIMARY KEY (plan_id, day, serial))""",
            "CREATE INDEX plan_meters_by_order ON plan_meters (plan_id, correlation_id)",
            "CREATE INDEX plan_meters_by_state ON plan_meters (state, plan_id, day)",
            // results waiting for delivery to the external system, re-injected after a failure (P3, P4);
            // delivered in delivery_id order; correlation_id is '' for a meter whose order was never sent
            """
            CREATE TABLE deliveries (
              delivery_id {id},
              correlation_id TEXT NOT NULL,
              plan_id BIGINT,
              payload TEXT NOT NULL,
              attempts INTEGER NOT NULL DEFAULT 0,
              next_attempt_at BIGINT NOT NULL,
              delivered_at BIGINT,
              last_error TEXT NOT NULL DEFAULT '')""",
            "CREATE INDEX deliveries_due ON deliveries (delivered_at, next_attempt_at)",
            "CREATE INDEX deliveries_by_plan ON deliveries (plan_id, delivery_id)",
            // --- events and alarms (R5, S3) ---
            // every event central knows of: meter logs, status words, and failures central saw itself;
            // dedup_key makes recording the same event twice a no-op
            """
            CREATE TABLE central_events (
              event_id {id},
              serial TEXT,
              gateway_id TEXT,
              at BIGINT NOT NULL,
              source TEXT NOT NULL,
              code INTEGER NOT NULL,
              name TEXT NOT NULL,
              detail TEXT NOT NULL DEFAULT '',
              dedup_key TEXT NOT NULL UNIQUE,
              recorded_at BIGINT NOT NULL)""",
            "CREATE INDEX central_events_by_meter ON central_events (serial, at)",
            // which events raise alarms: source as in central_events, code -1 for every code of the source
            """
            CREATE TABLE alarm_rules (
              source TEXT NOT NULL,
              code INTEGER NOT NULL,
              severity TEXT NOT NULL,
              enabled INTEGER NOT NULL,
              PRIMARY KEY (source, code))""",
            """
            CREATE TABLE alarms (
              alarm_id {id},
              event_id BIGINT NOT NULL UNIQUE REFERENCES central_events (event_id),
              severity TEXT NOT NULL,
              raised_at BIGINT NOT NULL,
              acknowledged_by TEXT,
              acknowledged_at BIGINT)""",
            // --- operators (U1-U3, X4) ---
            // role: admin | technical | support; password_hash in the KDF's own encoded form
            """
            CREATE TABLE users (
              username TEXT PRIMARY KEY,
              password_hash TEXT NOT NULL,
              role TEXT NOT NULL,
              enabled INTEGER NOT NULL DEFAULT 1,
              created_at BIGINT NOT NULL)""",
            """
            CREATE TABLE sessions (
              token_hash TEXT PRIMARY KEY,
              username TEXT NOT NULL REFERENCES users (username),
              created_at BIGINT NOT NULL,
              expires_at BIGINT NOT NULL)""",
            // every state-changing action: who, when, what, on what
            """
            CREATE TABLE audit_log (
              audit_id {id},
              at BIGINT NOT NULL,
              username TEXT NOT NULL,
              action TEXT NOT NULL,
              target TEXT NOT NULL,
              detail TEXT NOT NULL DEFAULT '')"""));

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

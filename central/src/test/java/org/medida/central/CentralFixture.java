package org.medida.central;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.medida.central.db.Database;
import org.medida.central.events.GapBackfill;
import org.medida.central.gateways.Gateways;
import org.medida.central.ingest.IngestHandler;
import org.medida.central.plans.Plans;

/**
 * Starts central on the test's database ({@link TestDatabases}: a real SQLite file in the test's directory, or a
 * database of its own on a real PostgreSQL server) and reads what it stored.
 */
public final class CentralFixture {

    public static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Plans without a results webhook: results stay queryable over HTTP. */
    public static final Plans.Settings PLANS = Plans.Settings.of(null, Plans.Settings.DEFAULT_RETRY_SECONDS);

    private CentralFixture() {
    }

    /** The password of the operator {@code admin} of a central started here. */
    public static final String ADMIN_PASSWORD = "admin password for tests";

    /**
     * Central connected to {@code brokerUrl}, accepting {@code gateways}, its HTTP view on a free port, its first
     * operator {@code admin} with {@link #ADMIN_PASSWORD}.
     */
    public static Central start(Path database, String brokerUrl, String... gateways) throws Exception {
        return start(database, brokerUrl, Clock.systemUTC(), gateways);
    }

    /** As {@link #start(Path, String, String...)}, on {@code clock}. */
    public static Central start(Path database, String brokerUrl, Clock clock, String... gateways) throws Exception {
        Path adminPassword = database.resolveSibling(database.getFileName() + ".admin-password");
        Files.writeString(adminPassword, ADMIN_PASSWORD + "\n");
        return Central.start(new Central.Settings(TestDatabases.where(database), database.getParent(), brokerUrl, null,
                "central-test", null, null, "127.0.0.1", 0, List.of(gateways), PLANS, GapBackfill.Settings.DEFAULTS,
                adminPassword), clock);
    }

    /** The single number {@code sql} selects from the test's database. */
    /** An ingest writer on {@code database} that knows gateway {@code gatewayId}, for tests that hand it messages. */
    public static IngestHandler ingestWriter(Database database, String gatewayId) throws SQLException {
        Gateways gateways = Gateways.load(database);
        gateways.register(database, List.of(gatewayId), Instant.now());
        return new IngestHandler(database, gateways, Clock.systemUTC());
    }

    public static long number(Path database, String sql) throws SQLException {
        return Long.parseLong(text(database, sql));
    }

    /** The single value {@code sql} selects from the test's database, as text. */
    public static String text(Path database, String sql) throws SQLException {
        try (Connection connection = TestDatabases.open(database).connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                throw new AssertionError("no row for " + sql);
            }
            return rows.getString(1);
        }
    }

    /** Rows of the data tables, all together: 0 means nothing was stored. */
    public static long dataRows(Path database) throws SQLException {
        return number(database, "SELECT (SELECT COUNT(*) FROM interval_values) + (SELECT COUNT(*) FROM readings)"
                + " + (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM gaps) + (SELECT COUNT(*) FROM drops)"
                + " + (SELECT COUNT(*) FROM meters) + (SELECT COUNT(*) FROM ingested_batches)"
                + " + (SELECT COUNT(*) FROM command_results)");
    }

    /** Polls {@code condition} until it holds; fails after {@link #PATIENCE}. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}

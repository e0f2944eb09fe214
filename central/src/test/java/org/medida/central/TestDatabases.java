package org.medida.central;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.medida.central.db.Database;
import org.medida.central.db.Dialect;
import org.medida.testing.PostgresServer;

/**
 * The database a test stores into, named by a file in the test's directory (e.g. {@code dir.resolve("central.db")}):
 * with {@code -Dmedida.test.db=sqlite} (the default) that SQLite file; with {@code -Dmedida.test.db=postgres} a
 * database of its own on the JVM's one PostgreSQL server, created the first time the file is named and the same
 * database whenever it is named again (a restarted central finds its data). So every storage test runs unchanged
 * on both databases. A PostgreSQL test database starts as a copy of one migrated when the server started (the
 * schema is there already; migrating it again is a no-op), which is much faster than migrating each one.
 */
public final class TestDatabases {

    /** The system property that picks the database: {@code sqlite} or {@code postgres}. */
    public static final String PROPERTY = "medida.test.db";

    private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();
    private static final Map<Path, Database> OPENED = new ConcurrentHashMap<>();
    private static final AtomicInteger CREATED = new AtomicInteger();
    private static final String TEMPLATE = "medida_template";
    private static PostgresServer server;

    private TestDatabases() {
    }

    /** Where the test's database for {@code file} is: the SQLite file, or the URL of its PostgreSQL database. */
    public static String where(Path file) {
        if (!postgres()) {
            return file.toAbsolutePath().toString();
        }
        return DATABASES.computeIfAbsent(file.toAbsolutePath(), path -> {
            try {
                return server().createDatabase("test_" + CREATED.incrementAndGet(), TEMPLATE);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create a test database on PostgreSQL: " + e.getMessage(), e);
            }
        });
    }

    /**
     * The test's database for {@code file}, its schema up to date: one instance per file, so that the tests' many
     * reads share its few pooled connections.
     */
    public static Database open(Path file) throws SQLException {
        Path key = file.toAbsolutePath();
        Database database = OPENED.get(key);
        if (database == null) {
            database = Database.open(where(file));
            OPENED.put(key, database);
        }
        return database;
    }

    /** Whether this run stores into PostgreSQL. */
    public static boolean postgres() {
        String chosen = System.getProperty(PROPERTY, "sqlite");
        return switch (chosen) {
            case "sqlite" -> false;
            case "postgres" -> true;
            default -> throw new IllegalArgumentException(PROPERTY + " is '" + chosen + "': sqlite or postgres");
        };
    }

    /**
     * Makes every insert into {@code table} for which {@code when} holds (a condition on {@code NEW.<column>}) fail
     * with {@code message}, as a disk or constraint failure would, until closed. Both databases get a trigger.
     */
    public static AutoCloseable failInserts(Path file, String table, String when, String message)
            throws SQLException {
        Database database = open(file);
        boolean postgres = database.dialect() == Dialect.POSTGRES;
        execute(database, postgres
                ? "CREATE FUNCTION fail_" + table + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " + when
                        + " THEN RAISE EXCEPTION '" + message + "'; END IF; RETURN NEW; END $$;"
                        + "CREATE TRIGGER fail BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION fail_"
                        + table + "()"
                : "CREATE TRIGGER fail BEFORE INSERT ON " + table + " WHEN " + when + " BEGIN SELECT RAISE(ABORT, '"
                        + message + "'); END");
        return () -> execute(database, postgres
                ? "DROP TRIGGER fail ON " + table + "; DROP FUNCTION fail_" + table + "()"
                : "DROP TRIGGER fail");
    }

    private static void execute(Database database, String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static synchronized PostgresServer server() {
        if (server == null) {
            try {
                // Durability is not what these tests measure: no fsync keeps them fast on a shared disk.
                server = PostgresServer.start(Path.of("target", "postgres-" + ProcessHandle.current().pid()),
                        "fsync=off", "synchronous_commit=off", "full_page_writes=off");
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-stop"));
                // Closed at once: a template must have no connections when it is copied.
                Database.open(server.createDatabase(TEMPLATE)).close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start PostgreSQL for the tests: " + e.getMessage(), e);
            } catch (SQLException e) {
                throw new IllegalStateException("could not migrate the template database: " + e.getMessage(), e);
            }
        }
        return server;
    }
}

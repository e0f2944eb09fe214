package org.medida.central.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Central's database: where it is, which {@link Dialect} it speaks, and a migrated schema. Hands out connections,
 * reused once their caller closes them ({@link ConnectionPool}); the ingest keeps one for its single writer,
 * readers (the HTTP view, one per request) take their own. Closing the database closes the idle connections.
 * <p>
 * Embedded SQLite by default (a file path); PostgreSQL when given a {@code jdbc:postgresql://host:port/database}
 * URL, with the user and password in the URL ({@code ?user=medida&password=...}), as separate arguments, or in
 * the PostgreSQL password file ({@code ~/.pgpass} or {@code PGPASSFILE}), which the driver reads itself.
 */
public final class Database implements AutoCloseable {

    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    /** How often {@link #inTransaction} runs a transaction that lost to another writer. */
    static final int CONTENTION_ATTEMPTS = 20;

    private final String url;
    private final Properties credentials;
    private final Dialect dialect;
    private final ConnectionPool pool;

    private Database(String url, Properties credentials, Dialect dialect) {
        this.url = url;
        this.credentials = credentials;
        this.dialect = dialect;
        this.pool = new ConnectionPool(this::open, dialect::connectionLost);
    }

    /**
     * Opens the database {@code where} names, a SQLite file (created if missing) or a {@code jdbc:postgresql:} URL,
     * and brings its schema up to date.
     */
    public static Database open(String where) throws SQLException {
        return open(where, null, null);
    }

    /**
     * As {@link #open(String)}, with a PostgreSQL user and password given apart from the URL (null: from the URL
     * or the password file). A SQLite file takes neither.
     */
    public static Database open(String where, String user, char[] password) throws SQLException {
        Database database = locate(where, user, password);
        try (Connection connection = database.connect()) {
            Schema.migrate(connection, database.dialect);
        }
        return database;
    }

    /** Whether {@code where} names a PostgreSQL database rather than a SQLite file. */
    public static boolean isPostgres(String where) {
        return where.startsWith(POSTGRES_PREFIX);
    }

    /** Opens (creating if needed) the SQLite database in {@code file} and brings its schema up to date. */
    public static Database openSqlite(Path file) throws SQLException {
        return open(file.toAbsolutePath().toString());
    }

    private static Database locate(String where, String user, char[] password) {
        if (where == null || where.isBlank()) {
            throw new IllegalArgumentException("no database: give a SQLite file or a jdbc:postgresql:// URL");
        }
        Properties credentials = new Properties();
        if (isPostgres(where)) {
            if (user != null) {
                credentials.setProperty("user", user);
            }
            if (password != null) {
                credentials.setProperty("password", new String(password));
            }
            credentials.setProperty("ApplicationName", "medida-central");
            return new Database(where, credentials, Dialect.POSTGRES);
        }
        if (user != null || password != null) {
            throw new IllegalArgumentException("a SQLite database takes no user or password: " + where);
        }
        if (where.startsWith("jdbc:") && !where.startsWith(SQLITE_PREFIX)) {
            throw new IllegalArgumentException("unsupported database URL " + redacted(where)
                    + ": give a SQLite file or a jdbc:postgresql://host:port/database URL");
        }
        String file = where.startsWith(SQLITE_PREFIX) ? where.substring(SQLITE_PREFIX.length()) : where;
        return new Database(SQLITE_PREFIX + Path.of(file).toAbsolutePath(), credentials, Dialect.SQLITE);
    }

    /** The SQL dialect of this database. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Whether {@code e} says the connection to the database is gone or cannot be made now (a PostgreSQL server
     * restarting or unreachable): nothing of an open transaction was committed, and a new connection may succeed
     * later. Never for SQLite, a file.
     */
    public boolean isConnectionLost(SQLException e) {
        return dialect.connectionLost(e);
    }

    /** A connection with the dialect's session settings, in auto-commit mode. The caller closes it. */
    public Connection connect() throws SQLException {
        return pool.take();
    }

    /**
     * Work done in one transaction, on a connection of its own; {@code E} is what it may throw besides SQL errors
     * (RuntimeException for nothing). It may run more than once: it must have no effect outside the database.
     */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T in(Connection connection) throws SQLException, E;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. A transaction
     * that reads before it writes loses when another connection commits in between: SQLite refuses the write at
     * once (its busy timeout does not help, the snapshot is stale), PostgreSQL fails it as a serialization failure.
     * Such a transaction is rolled back and run again after a short random pause, up to
     * {@value #CONTENTION_ATTEMPTS} times (a few seconds in all); every other failure is rethrown at once.
     */
    public <T, E extends Exception> T inTransaction(Work<T, E> work) throws SQLException, E {
        for (int attempt = 1;; attempt++) {
            try {
                return once(work);
            } catch (SQLException e) {
                if (attempt == CONTENTION_ATTEMPTS || !dialect.lostToAnotherWriter(e)) {
                    throw e;
                }
                try {
                    // Random, so that transactions that lost together do not collide again.
                    Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private <T, E extends Exception> T once(Work<T, E> work) throws SQLException, E {
        try (Connection connection = connect()) {
            dialect.begin(connection);
            try {
                T result = work.in(connection);
                connection.commit();
                return result;
            } catch (Exception e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
    }

    /** Closes the connections kept for reuse (SQLite checkpoints its WAL when the last one closes). */
    @Override
    public void close() {
        pool.close();
    }

    private Connection open() throws SQLException {
        Connection connection;
        try {
            connection = DriverManager.getConnection(url, credentials);
        } catch (SQLException e) {
            throw new SQLException("cannot connect to " + this + ": " + e.getMessage(), e.getSQLState(), e);
        }
        try {
            dialect.configure(connection);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** The URL without any password in it, for logs and error messages. */
    @Override
    public String toString() {
        return redacted(url);
    }

    /** {@code where} (a file or URL) without any password in it, for logs and error messages. */
    public static String redacted(String where) {
        return where.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}

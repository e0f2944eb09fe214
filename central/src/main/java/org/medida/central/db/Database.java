package org.medida.central.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Central's database: where it is, which {@link Dialect} it speaks, and a migrated schema. Hands out connections;
 * the ingest keeps one for its single writer, readers (the HTTP view) take their own.
 */
public final class Database {

    private final String url;
    private final Dialect dialect;

    private Database(String url, Dialect dialect) {
        this.url = url;
        this.dialect = dialect;
    }

    /** Opens (creating if needed) the SQLite database in {@code file} and brings its schema up to date. */
    public static Database openSqlite(Path file) throws SQLException {
        Database database = new Database("jdbc:sqlite:" + file.toAbsolutePath(), Dialect.SQLITE);
        try (Connection connection = database.connect()) {
            Schema.migrate(connection, database.dialect);
        }
        return database;
    }

    /** The SQL dialect of this database. */
    public Dialect dialect() {
        return dialect;
    }

    /** A new connection with the dialect's session settings, in auto-commit mode. The caller closes it. */
    public Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        try {
            dialect.configure(connection);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return url;
    }
}

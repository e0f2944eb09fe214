package org.medida.central.db;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Everything that differs between the databases central runs on, in one place. The SQL elsewhere is portable:
 * {@code INSERT ... ON CONFLICT DO NOTHING} for idempotent writes, times as epoch milliseconds in BIGINT columns,
 * exact decimals bound by {@link #bindDecimal}. Schema statements name the differences as placeholders
 * ({@code {id}}, {@code {decimal}}, {@code {clustered}}) that {@link #expand(String)} fills in.
 */
public enum Dialect {

    /**
     * Embedded SQLite. Decimals are TEXT because SQLite's NUMERIC affinity would turn 1234.500 into a double;
     * tables keyed by their natural key are WITHOUT ROWID, so the key index is the table. WAL lets the HTTP view
     * read while the ingest writes; synchronous=FULL makes a commit durable before the gateway is told about it.
     */
    SQLITE("INTEGER PRIMARY KEY", "TEXT", " WITHOUT ROWID") {
        @Override
        void configure(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=FULL");
                statement.execute("PRAGMA foreign_keys=ON");
                statement.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
            }
        }
    };

    /** How long a connection waits for another one's write lock before giving up. */
    static final int BUSY_TIMEOUT_MS = 30_000;

    private final String generatedId;
    private final String decimal;
    private final String clustered;

    Dialect(String generatedId, String decimal, String clustered) {
        this.generatedId = generatedId;
        this.decimal = decimal;
        this.clustered = clustered;
    }

    /** Binds an exact decimal: every digit and the scale the meter sent (1234.500 stays 1234.500). */
    public void bindDecimal(PreparedStatement statement, int index, BigDecimal value) throws SQLException {
        statement.setString(index, value.toPlainString());
    }

    /** Reads an exact decimal bound by {@link #bindDecimal}. */
    public BigDecimal decimal(ResultSet rows, int column) throws SQLException {
        return new BigDecimal(rows.getString(column));
    }

    /** Fills the dialect's placeholders into a schema statement. */
    String expand(String sql) {
        return sql.replace("{id}", generatedId).replace("{decimal}", decimal).replace("{clustered}", clustered);
    }

    /** Session settings every new connection gets. */
    abstract void configure(Connection connection) throws SQLException;
}

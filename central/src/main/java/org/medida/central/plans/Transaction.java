package org.medida.central.plans;

import java.sql.Connection;
import java.sql.SQLException;

import org.medida.central.db.Database;

/**
 * Runs work in one transaction on a connection of its own: committed when it returns, rolled back when it throws.
 * A transaction that read before it wrote can lose the race for the write lock to another connection (SQLite
 * answers SQLITE_BUSY at once rather than wait, as waiting could deadlock; PostgreSQL a serialization failure):
 * it is rolled back and run again, up to {@link #ATTEMPTS} times over about a second. The work has no effect outside the database, so this is safe.
 */
final class Transaction {

    /** The work; {@code E} is what it may throw besides SQL errors (RuntimeException for nothing). */
    interface Work<T, E extends Exception> {
        T in(Connection connection) throws SQLException, E;
    }

    static final int ATTEMPTS = 10;
    private static final int SQLITE_BUSY = 5;
    private static final String SERIALIZATION_FAILURE = "40001";

    private Transaction() {
    }

    static <T, E extends Exception> T run(Database database, Work<T, E> work) throws SQLException, E {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(database, work);
            } catch (SQLException e) {
                if (attempt >= ATTEMPTS || !lostTheWriteLock(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(20L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static <T, E extends Exception> T once(Database database, Work<T, E> work) throws SQLException, E {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try {
                T result = work.in(connection);
                connection.commit();
                return result;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static boolean lostTheWriteLock(SQLException e) {
        // SQLite's extended codes keep the primary code in the low byte (SQLITE_BUSY_SNAPSHOT is 517)
        return (e.getErrorCode() & 0xff) == SQLITE_BUSY || SERIALIZATION_FAILURE.equals(e.getSQLState());
    }
}

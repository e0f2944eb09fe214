package org.medida.central.plans;

import java.sql.Connection;
import java.sql.SQLException;

import org.medida.central.db.Database;

/** Runs work in one transaction on a connection of its own: committed when it returns, rolled back when it throws. */
final class Transaction {

    /** The work; {@code E} is what it may throw besides SQL errors (RuntimeException for nothing). */
    interface Work<T, E extends Exception> {
        T in(Connection connection) throws SQLException, E;
    }

    private Transaction() {
    }

    static <T, E extends Exception> T run(Database database, Work<T, E> work) throws SQLException, E {
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
}

package org.medida.central.web;

import java.sql.Connection;
import java.sql.SQLException;

import org.medida.central.db.Database;

/** Runs a change and its audit record in one transaction on a connection of its own. */
final class Transaction {

    interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    private Transaction() {
    }

    static <T> T run(Database database, Work<T> work) throws SQLException {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try {
                T result = work.on(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}

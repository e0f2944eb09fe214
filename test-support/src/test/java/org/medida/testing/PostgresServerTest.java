package org.medida.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real PostgreSQL server of the test's own: databases on demand, stopped by PID. */
class PostgresServerTest {

    @TempDir
    Path dir;

    @Test
    void servesFreshDatabasesOnItsOwnPortAndStops() throws Exception {
        int port;
        try (PostgresServer server = PostgresServer.start(dir, "fsync=off")) {
            port = server.port();
            assertFalse(port == 5432, "never the machine's server");
            String url = server.createDatabase("medida_test");
            assertEquals("jdbc:postgresql://127.0.0.1:" + port + "/medida_test?user=postgres", url);
            try (Connection connection = DriverManager.getConnection(url);
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT current_database(), current_setting('fsync')")) {
                rows.next();
                assertEquals("medida_test", rows.getString(1));
                assertEquals("off", rows.getString(2), "extra settings reach the server");
            }
            assertThrows(SQLException.class, () -> server.createDatabase("medida_test"), "it exists already");
            try (Connection connection = DriverManager.getConnection(url);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            }
            try (Connection connection = DriverManager.getConnection(server.createDatabase("copy", "medida_test"));
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM schema_version")) {
                rows.next();
                assertEquals(0, rows.getInt(1), "a copy of the template, with its tables");
            }
        }
        assertThrows(java.io.IOException.class, () -> new Socket("127.0.0.1", port).close(), "stopped");
    }

    @Test
    void refusesADatabaseNameThatIsNotAPlainIdentifier() throws Exception {
        try (PostgresServer server = PostgresServer.start(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> server.createDatabase("x; DROP DATABASE postgres"));
            assertTrue(e.getMessage().contains("lower case letters, digits and _"), e.getMessage());
            assertTrue(server.isRunning());
        }
    }
}

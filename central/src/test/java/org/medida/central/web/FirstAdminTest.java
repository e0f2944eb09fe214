package org.medida.central.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.LogCapture;
import org.medida.central.db.Database;

/** The first operator: from the password file, or generated and logged once; never a second time. */
class FirstAdminTest {

    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aGeneratedPasswordIsLoggedOnceAndWorks() throws Exception {
        Database database = Database.openSqlite(dir.resolve("central.db"));
        String log;
        try (LogCapture capture = new LogCapture()) {
            Users.createFirstAdmin(database, null, NOW);
            Users.createFirstAdmin(database, null, NOW);
            log = capture.text();
        }
        Matcher generated = Pattern.compile("generated password (\\S+) - shown this once only").matcher(log);
        assertTrue(generated.find(), log);
        String password = generated.group(1);
        assertTrue(!generated.find(), "logged once only: " + log);
        try (Connection connection = database.connect()) {
            assertEquals(1, Users.list(connection).size());
            assertTrue(Users.authenticate(connection, "admin", password).isPresent());
            assertTrue(!storedHashes(connection).contains(password), "stored hashed");
        }
    }

    @Test
    void thePasswordFileIsReadOnlyOnFirstStartAndMustBeStrong() throws Exception {
        Database database = Database.openSqlite(dir.resolve("central.db"));
        Path weak = dir.resolve("weak");
        Files.writeString(weak, "admin\n");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Users.createFirstAdmin(database, weak, NOW));
        assertEquals("admin password file " + weak + ": 'password' must have at least 10 characters",
                refused.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Users.createFirstAdmin(database, dir.resolve("absent"), NOW));
        assertTrue(missing.getMessage().startsWith("cannot read the admin password file " + dir.resolve("absent")),
                missing.getMessage());
        Path good = dir.resolve("good");
        Files.writeString(good, "  a good admin password \nsecond line ignored\n");
        Users.createFirstAdmin(database, good, NOW);
        Files.delete(good);
        Users.createFirstAdmin(database, good, NOW);
        try (Connection connection = database.connect()) {
            assertTrue(Users.authenticate(connection, "admin", "a good admin password").isPresent());
            assertEquals("user.create", Rows.query(connection, "SELECT action FROM audit_log").get(0).text("action"));
        }
    }

    private static String storedHashes(Connection connection) throws java.sql.SQLException {
        StringBuilder all = new StringBuilder();
        for (Rows.Row row : Rows.query(connection, "SELECT password_hash FROM users")) {
            all.append(row.text("password_hash"));
        }
        return all.toString();
    }
}

package org.medida.central.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.CentralFixture;
import org.medida.central.TestDatabases;
import org.medida.testing.FreePorts;

/** The database layer itself, on whichever database the run uses (TestDatabases). */
class DatabaseTest {

    @TempDir
    Path dir;

    private Path file;
    private Database database;

    @BeforeEach
    void open() throws SQLException {
        file = dir.resolve("central.db");
        database = TestDatabases.open(file);
    }

    @Test
    void opensTheDatabaseTheRunAsksFor() {
        assertEquals(TestDatabases.postgres() ? Dialect.POSTGRES : Dialect.SQLITE, database.dialect());
    }

    @Test
    void migratesOnceAndOpeningAgainChangesNothing() throws SQLException {
        Database.open(TestDatabases.where(file));
        assertEquals(2, CentralFixture.number(file, "SELECT MAX(version) FROM schema_version"));
        assertEquals(2, CentralFixture.number(file, "SELECT COUNT(*) FROM schema_version"));
    }

    @Test
    void decimalsComeBackWithEveryDigitAndTheirScale() throws SQLException {
        List<BigDecimal> values = List.of(new BigDecimal("12356678.500"), new BigDecimal("0.000001"),
                new BigDecimal("-42"), new BigDecimal("123456789012345678901234567890.123456789"), BigDecimal.ZERO);
        try (Connection connection = database.connect()) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO usage_points (pod, latitude, longitude, created_at) VALUES (?, ?, ?, 0)")) {
                for (int i = 0; i < values.size(); i++) {
                    insert.setString(1, "POD" + i);
                    database.dialect().bindDecimal(insert, 2, values.get(i));
                    database.dialect().bindDecimal(insert, 3, null);
                    insert.executeUpdate();
                }
            }
            List<BigDecimal> read = new ArrayList<>();
            try (Statement select = connection.createStatement();
                    ResultSet rows = select.executeQuery("SELECT latitude, longitude FROM usage_points ORDER BY pod")) {
                while (rows.next()) {
                    read.add(database.dialect().decimal(rows, 1));
                    assertNull(database.dialect().decimal(rows, 2), "NULL stays null");
                }
            }
            assertEquals(values.stream().map(BigDecimal::toPlainString).toList(),
                    read.stream().map(BigDecimal::toPlainString).toList());
        }
    }

    @Test
    void insertReturningGivesTheGeneratedIdOrNothingOnAConflict() throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO usage_points (pod, created_at) "
                        + "VALUES (?, 0) ON CONFLICT DO NOTHING RETURNING usage_point_id")) {
            insert.setString(1, "POD-A");
            OptionalLong first = Dialect.insertReturningId(insert);
            insert.setString(1, "POD-B");
            OptionalLong second = Dialect.insertReturningId(insert);
            insert.setString(1, "POD-A");
            OptionalLong again = Dialect.insertReturningId(insert);
            assertTrue(first.isPresent() && second.isPresent());
            assertTrue(second.getAsLong() > first.getAsLong());
            assertFalse(again.isPresent(), "a conflict adds no row and gives no id");
            assertEquals(first.getAsLong(), CentralFixture.number(file,
                    "SELECT usage_point_id FROM usage_points WHERE pod = 'POD-A'"));
        }
    }

    @Test
    void aReaderIsNotHeldUpByTheWritersOpenTransaction() throws Exception {
        try (Connection writer = database.connect(); Statement write = writer.createStatement()) {
            writer.setAutoCommit(false);
            write.executeUpdate("INSERT INTO gateways (gateway_id, added_at) VALUES ('gw-1', 0)");
            long seen = CompletableFuture.supplyAsync(() -> {
                try {
                    return CentralFixture.number(file, "SELECT COUNT(*) FROM gateways");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }).get(5, TimeUnit.SECONDS);
            assertEquals(0, seen, "the reader sees the last commit, at once");
            writer.commit();
        }
        assertEquals(1, CentralFixture.number(file, "SELECT COUNT(*) FROM gateways"));
    }

    @Test
    void aConnectionHandedBackLeavesNothingUncommittedBehindAndCannotBeUsedAgain() throws SQLException {
        Connection first = database.connect();
        first.setAutoCommit(false);
        try (Statement statement = first.createStatement()) {
            statement.executeUpdate("INSERT INTO gateways (gateway_id, added_at) VALUES ('gw-1', 0)");
        }
        first.close();
        first.close();
        assertTrue(first.isClosed());
        assertThrows(SQLException.class, first::createStatement);
        try (Connection next = database.connect()) {
            assertTrue(next.getAutoCommit(), "reused connections are in auto-commit mode");
        }
        assertEquals(0, CentralFixture.number(file, "SELECT COUNT(*) FROM gateways"), "rolled back when handed back");
    }

    @Test
    void refusesWhatIsNoDatabaseWithAClearMessage() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Database.open(" ")).getMessage()
                .contains("give a SQLite file or a jdbc:postgresql:// URL"));
        IllegalArgumentException mysql = assertThrows(IllegalArgumentException.class,
                () -> Database.open("jdbc:mysql://db/medida?password=secret"));
        assertTrue(mysql.getMessage().contains("unsupported database URL jdbc:mysql://db/medida?password=***"),
                mysql.getMessage());
        assertFalse(mysql.getMessage().contains("secret"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Database.open(dir.resolve("x.db").toString(), "medida", "pw".toCharArray())).getMessage()
                .contains("a SQLite database takes no user or password"));
    }

    @Test
    void anUnreachablePostgresServerIsNamedWithoutItsPassword() {
        String url = "jdbc:postgresql://127.0.0.1:" + FreePorts.next() + "/medida?user=medida&password=secret"
                + "&connectTimeout=2";
        SQLException e = assertThrows(SQLException.class, () -> Database.open(url));
        assertTrue(e.getMessage().startsWith("cannot connect to jdbc:postgresql://127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains("password=***"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void aSqliteFileCanBeGivenAsAJdbcUrlToo() throws SQLException {
        Database sqlite = Database.open("jdbc:sqlite:" + dir.resolve("other.db"));
        assertEquals(Dialect.SQLITE, sqlite.dialect());
        assertEquals("jdbc:sqlite:" + dir.resolve("other.db").toAbsolutePath(), sqlite.toString());
    }
}

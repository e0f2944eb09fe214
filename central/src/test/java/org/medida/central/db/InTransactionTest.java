package org.medida.central.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.TestDatabases;

/**
 * {@link Database#inTransaction} on the run's real database: transactions that read a counter and then write it,
 * racing on separate connections, all commit and none loses another's update.
 */
class InTransactionTest {

    @TempDir
    Path dir;

    private Database database;

    @BeforeEach
    void open() throws SQLException {
        database = TestDatabases.open(dir.resolve("central.db"));
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value BIGINT NOT NULL)");
            statement.execute("INSERT INTO counter (id, value) VALUES (1, 0)");
        }
    }

    @Test
    void aTransactionWhoseReadWentStaleBeforeItWroteRunsAgain() throws SQLException {
        AtomicInteger attempts = new AtomicInteger();
        database.inTransaction(connection -> {
            long seen = value(connection);
            if (attempts.incrementAndGet() == 1) {
                // Another connection commits between this transaction's read and its write.
                database.inTransaction(other -> write(other, value(other) + 1));
            }
            return write(connection, seen + 1);
        });
        assertEquals(2, attempts.get(), "the first attempt lost and was run again");
        assertEquals(2, committedValue(), "both increments count");
    }

    @Test
    void readThenWriteTransactionsRacingOnSeparateThreadsAllCommit() throws Exception {
        int threads = 4;
        int increments = 25;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> racers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                racers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < increments; i++) {
                        database.inTransaction(connection -> write(connection, value(connection) + 1));
                    }
                    return null;
                }));
            }
            for (Future<Void> racer : racers) {
                racer.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * increments, committedValue());
    }

    @Test
    void anyOtherDatabaseFailureIsRolledBackAndThrownAtOnce() throws SQLException {
        AtomicInteger attempts = new AtomicInteger();
        SQLException failure = new SQLException("disk full", "53100", 13);
        SQLException thrown = assertThrows(SQLException.class, () -> database.inTransaction(connection -> {
            attempts.incrementAndGet();
            write(connection, 7);
            throw failure;
        }));
        assertSame(failure, thrown);
        assertEquals(1, attempts.get());
        assertEquals(0, committedValue());
    }

    @Test
    void theWorksOwnFailureIsRolledBackAndThrownAtOnce() throws SQLException {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(IOException.class, () -> database.inTransaction(connection -> {
            attempts.incrementAndGet();
            write(connection, 7);
            throw new IOException("the work's own checked failure");
        }));
        assertThrows(IllegalStateException.class, () -> database.inTransaction(connection -> {
            attempts.incrementAndGet();
            write(connection, 8);
            throw new IllegalStateException("a bug in the work");
        }));
        assertEquals(2, attempts.get());
        assertEquals(0, committedValue());
    }

    @Test
    void aTransactionThatKeepsLosingGivesUpAfterTheLastAttempt() throws SQLException {
        AtomicInteger attempts = new AtomicInteger();
        SQLException lost = lostToAnotherWriter();
        SQLException thrown = assertThrows(SQLException.class, () -> database.inTransaction(connection -> {
            attempts.incrementAndGet();
            write(connection, 7);
            throw lost;
        }));
        assertSame(lost, thrown);
        assertEquals(Database.CONTENTION_ATTEMPTS, attempts.get());
        assertEquals(0, committedValue());
    }

    @Test
    void anInterruptedThreadDoesNotWaitToRunAgain() {
        AtomicInteger attempts = new AtomicInteger();
        SQLException lost = lostToAnotherWriter();
        try {
            assertSame(lost, assertThrows(SQLException.class, () -> database.inTransaction(connection -> {
                attempts.incrementAndGet();
                Thread.currentThread().interrupt();
                throw lost;
            })));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, attempts.get());
    }

    @Test
    void aFailedRollbackIsKeptWithTheFailureThatCausedIt() {
        SQLException thrown = assertThrows(SQLException.class, () -> database.inTransaction(connection -> {
            connection.unwrap(Connection.class).close(); // the connection breaks mid-transaction
            throw new SQLException("connection lost");
        }));
        assertEquals("connection lost", thrown.getMessage());
        assertEquals(1, thrown.getSuppressed().length, "the rollback's own failure");
    }

    /** What each database says when another writer committed first. */
    private SQLException lostToAnotherWriter() {
        return database.dialect() == Dialect.POSTGRES
                ? new SQLException("could not serialize access due to concurrent update", "40001")
                : new SQLException("[SQLITE_BUSY_SNAPSHOT] Another database connection has already written",
                        null, 517);
    }

    private static long value(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT value FROM counter WHERE id = 1")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Void write(Connection connection, long value) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE counter SET value = ? WHERE id = 1")) {
            update.setLong(1, value);
            update.executeUpdate();
        }
        return null;
    }

    private long committedValue() throws SQLException {
        try (Connection connection = database.connect()) {
            return value(connection);
        }
    }
}

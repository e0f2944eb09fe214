package org.medida.central.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Keeps a few closed-by-the-caller connections open for the next caller. Opening a PostgreSQL connection costs a
 * server process and several round trips (tens of milliseconds under load), which would dominate a dashboard
 * request; the HTTP view and the features take a connection per request. A returned connection is rolled back to
 * auto-commit; one idle for a while is checked before reuse, and closed after {@link #IDLE_LIMIT_MS} unused. A
 * connection that failed as lost (the server restarted, the network broke) is closed when it comes back, and so are
 * the idle ones, which the same cause has broken too: the next caller gets a new connection.
 */
final class ConnectionPool implements AutoCloseable {

    /** Connection factory: a new physical connection with the dialect's session settings. */
    interface Opener {
        Connection open() throws SQLException;
    }

    private static final int MAX_IDLE = 8;
    private static final long IDLE_LIMIT_MS = 30_000;
    private static final long CHECK_AFTER_MS = 5_000;
    /** Every pool of the JVM, swept by one daemon thread; a pool nobody references any more simply drops out. */
    private static final Set<ConnectionPool> POOLS = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "medida-db-idle-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    static {
        SWEEPER.scheduleWithFixedDelay(ConnectionPool::sweepAll, IDLE_LIMIT_MS, IDLE_LIMIT_MS / 3,
                TimeUnit.MILLISECONDS);
    }

    private record Idle(Connection connection, long since) {
    }

    private final Opener opener;
    private final Predicate<SQLException> lost;
    private final Deque<Idle> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** @param lost whether a failure means the connection is gone ({@link Dialect#connectionLost}) */
    ConnectionPool(Opener opener, Predicate<SQLException> lost) {
        this.opener = opener;
        this.lost = lost;
        POOLS.add(this);
    }

    /** A connection in auto-commit mode; closing it hands it back. */
    Connection take() throws SQLException {
        Idle candidate;
        while ((candidate = idle.pollFirst()) != null) {
            Connection connection = candidate.connection();
            if (System.currentTimeMillis() - candidate.since() < CHECK_AFTER_MS || connection.isValid(2)) {
                return lend(connection);
            }
            quietlyClose(connection);
        }
        return lend(opener.open());
    }

    /** Closes the idle connections; connections still lent out are closed when they come back. */
    @Override
    public void close() {
        closed = true;
        POOLS.remove(this);
        closeIdle();
    }

    private void closeIdle() {
        Idle candidate;
        while ((candidate = idle.pollFirst()) != null) {
            quietlyClose(candidate.connection());
        }
    }

    private Connection lend(Connection physical) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Lent(physical));
    }

    private void giveBack(Connection physical, boolean broken) {
        if (broken) {
            quietlyClose(physical);
            return;
        }
        try {
            if (!physical.getAutoCommit()) {
                physical.rollback();
                physical.setAutoCommit(true);
            }
        } catch (SQLException e) {
            // A statement's failure does not pass through the lent connection: a lost one shows here.
            failed(e);
            quietlyClose(physical);
            return;
        }
        if (closed || idle.size() >= MAX_IDLE) {
            quietlyClose(physical);
        } else {
            idle.addFirst(new Idle(physical, System.currentTimeMillis()));
            if (closed) {
                close();
            }
        }
    }

    /** Whether {@code e} lost its connection; if so the idle ones, broken by the same cause, are closed too. */
    private boolean failed(SQLException e) {
        if (!lost.test(e)) {
            return false;
        }
        closeIdle();
        return true;
    }

    private static void sweepAll() {
        ConnectionPool[] pools;
        synchronized (POOLS) {
            pools = POOLS.toArray(new ConnectionPool[0]);
        }
        long now = System.currentTimeMillis();
        for (ConnectionPool pool : pools) {
            for (Iterator<Idle> it = pool.idle.descendingIterator(); it.hasNext(); ) {
                Idle candidate = it.next();
                if (now - candidate.since() > IDLE_LIMIT_MS && pool.idle.removeFirstOccurrence(candidate)) {
                    quietlyClose(candidate.connection());
                }
            }
        }
    }

    private static void quietlyClose(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Gone already: nothing to give back.
        }
    }

    /** The caller's view of a pooled connection: everything goes to the physical one, but close hands it back. */
    private final class Lent implements InvocationHandler {
        private final Connection physical;
        private boolean returned;
        private boolean broken;

        Lent(Connection physical) {
            this.physical = physical;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close" -> {
                    if (!returned) {
                        returned = true;
                        giveBack(physical, broken);
                    }
                    return null;
                }
                case "isClosed" -> {
                    return returned || physical.isClosed();
                }
                case "unwrap", "isWrapperFor" -> {
                    // Driver extensions (PostgreSQL's COPY) reach the physical connection.
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "pooled " + physical;
                }
                default -> {
                    if (returned) {
                        throw new SQLException("connection already closed");
                    }
                }
            }
            try {
                return method.invoke(physical, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException failure) {
                    broken |= failed(failure);
                }
                throw e.getCause();
            }
        }
    }
}

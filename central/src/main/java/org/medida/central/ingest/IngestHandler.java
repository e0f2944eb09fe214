package org.medida.central.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.medida.central.db.Database;
import org.medida.central.gateways.Gateways;
import org.medida.edge.api.Batch;
import org.medida.edge.api.TaskOutcome;
import org.medida.protocol.BatchAck;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.InventoryResult;
import org.medida.protocol.MalformedPayloadException;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What central does with one message from a gateway, on the single writer thread: find the gateway (unknown ones
 * and topics outside the scheme are logged and dropped), decode and validate the payload, store it in one
 * transaction (several batches share one, see {@link #handleAll}), and only then name the answer to publish — a
 * {@link BatchAck} for a batch. A malformed payload is logged with gateway, topic, size and reason and, if its batch
 * id was readable, refused; it never throws out of here and never leaves anything half-stored. When the connection to
 * the database is lost (a PostgreSQL restart), the writer waits, takes a new one and stores the message again: nothing
 * of it was committed, and nothing is answered before it is.
 */
public final class IngestHandler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);
    private static final long FIRST_RECONNECT_PAUSE_MS = 100;
    private static final long MAX_RECONNECT_PAUSE_MS = 5_000;

    private final Database database;
    private final Gateways gateways;
    private final Clock clock;
    /** The writer's connection and the store on it; null while the database is unreachable. */
    private Connection connection;
    private BatchStore batches;
    private final List<IngestListener> listeners = new CopyOnWriteArrayList<>();

    /** An answer to publish once the message is committed. */
    public record Reply(String topic, byte[] payload) {
    }

    /** Opens the writer's connection to {@code database}. */
    public IngestHandler(Database database, Gateways gateways, Clock clock) throws SQLException {
        this.database = database;
        this.gateways = gateways;
        this.clock = clock;
        connect();
    }

    private void connect() throws SQLException {
        Connection opened = database.connect();
        try {
            batches = new BatchStore(opened, database.dialect(), listeners);
        } catch (SQLException e) {
            opened.close();
            throw e;
        }
        connection = opened;
    }

    /** Tells {@code listener} about batches, statuses and command outcomes from now on. */
    public void addListener(IngestListener listener) {
        listeners.add(listener);
    }

    /** The write path for point-to-point readings, told to the same listeners, those added later included. */
    DirectReadings directReadings() {
        return new DirectReadings(database, listeners);
    }

    /** A message as it arrived from the broker. */
    public record Arrival(String topic, byte[] payload) {
    }

    /** A decoded batch waiting for the shared commit, and where its answer goes. */
    private record Pending(int index, String gatewayId, Batch batch) {
    }

    /** Handles a message that arrived on {@code topic}; returns the answer to publish, if the sender gets one. */
    public Optional<Reply> handle(String topic, byte[] payload) {
        return handleAll(List.of(new Arrival(topic, payload))).get(0);
    }

    /**
     * Handles messages that arrived one after the other and returns the answer for each, at the same position. The
     * batches among them that central accepts are written in one transaction and committed together: one fsync
     * for many batches, which is what lets a gateway's backlog drain fast. Their acknowledgements are named only
     * after that commit. If the shared transaction fails, each batch is stored again on its own, so a batch the
     * database cannot take does not hold the others back.
     */
    public List<Optional<Reply>> handleAll(List<Arrival> arrivals) {
        List<Optional<Reply>> replies = new ArrayList<>(Collections.nCopies(arrivals.size(), Optional.empty()));
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < arrivals.size(); i++) {
            String topic = arrivals.get(i).topic();
            byte[] payload = arrivals.get(i).payload();
            Optional<String> gateway = Topics.gatewayOf(topic);
            if (gateway.isEmpty()) {
                LOG.warn("Ignored {} bytes on {}: not a topic of the medida/v1 gateway scheme", payload.length, topic);
                continue;
            }
            String gatewayId = gateway.get();
            if (!gateways.isKnown(gatewayId)) {
                LOG.warn("Ignored {} bytes on {}: unknown gateway {}", payload.length, topic, gatewayId);
            } else if (topic.equals(Topics.batch(gatewayId))) {
                decode(i, gatewayId, topic, payload, replies).ifPresent(pending::add);
            } else if (topic.equals(Topics.status(gatewayId))) {
                onStatus(gatewayId, topic, payload);
            } else if (topic.equals(Topics.commandResult(gatewayId))) {
                onCommandResult(gatewayId, topic, payload);
            } else if (topic.equals(Topics.inventoryResult(gatewayId))) {
                onInventoryResult(gatewayId, topic, payload);
            } else {
                LOG.warn("Ignored {} bytes on {}: central does not take messages on this topic", payload.length, topic);
            }
        }
        storeTogether(pending, replies);
        return replies;
    }

    private Optional<Pending> decode(int index, String gatewayId, String topic, byte[] payload,
            List<Optional<Reply>> replies) {
        try {
            return Optional.of(new Pending(index, gatewayId, Payloads.decodeBatch(payload)));
        } catch (MalformedPayloadException e) {
            LOG.warn("Malformed batch from gateway {} on {} ({} bytes): {}", gatewayId, topic, payload.length,
                    e.getMessage());
            e.batchId().ifPresent(id -> replies.set(index, answer(gatewayId, BatchAck.refused(id, e.getMessage()))));
            return Optional.empty();
        }
    }

    private void storeTogether(List<Pending> pending, List<Optional<Reply>> replies) {
        if (pending.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<Pending> written = new ArrayList<>();
        try {
            reconnecting("batches " + pending.stream().map(batch -> batch.batch().id()).toList(), () -> {
                written.clear();
                for (Pending batch : pending) {
                    try {
                        logStored(batch, batches.write(batch.gatewayId(), batch.batch(), now));
                        written.add(batch);
                    } catch (RefusedBatchException e) {
                        refuse(batch, e, replies);
                    }
                }
                batches.commit();
                return null;
            });
            written.forEach(batch -> replies.set(batch.index(),
                    answer(batch.gatewayId(), BatchAck.committed(batch.batch().id()))));
        } catch (SQLException e) {
            if (database.isConnectionLost(e)) {
                LOG.warn("Stopped storing {} batch(es), the database still unreachable: {}; their gateways send them "
                        + "again", pending.size(), e.getMessage());
                return;
            }
            if (pending.size() > 1) {
                LOG.warn("Storing {} batches together failed ({}); storing them one by one", pending.size(),
                        e.getMessage());
            }
            pending.stream().filter(batch -> replies.get(batch.index()).isEmpty())
                    .forEach(batch -> storeAlone(batch, replies, now));
        }
    }

    private void storeAlone(Pending batch, List<Optional<Reply>> replies, Instant now) {
        try {
            logStored(batch, reconnecting("batch " + batch.batch().id(),
                    () -> batches.store(batch.gatewayId(), batch.batch(), now)));
            replies.set(batch.index(), answer(batch.gatewayId(), BatchAck.committed(batch.batch().id())));
        } catch (RefusedBatchException e) {
            refuse(batch, e, replies);
        } catch (SQLException e) {
            // Not the batch's fault: no answer, so the gateway keeps it and sends it again.
            LOG.error("Could not store batch {} of gateway {}: {}", batch.batch().id(), batch.gatewayId(),
                    e.getMessage(), e);
        }
    }

    private void refuse(Pending pending, RefusedBatchException e, List<Optional<Reply>> replies) {
        Batch batch = pending.batch();
        LOG.warn("Refused batch {} of gateway {} ({} of {}): {}", batch.id(), pending.gatewayId(), batch.dataClass(),
                batch.serial(), e.getMessage());
        replies.set(pending.index(), answer(pending.gatewayId(), BatchAck.refused(batch.id(), e.getMessage())));
    }

    private static void logStored(Pending pending, BatchStore.Stored stored) {
        Batch batch = pending.batch();
        LOG.debug("Batch {} of gateway {} ({} {} of {} day {}): {} rows added, {} already stored", batch.id(),
                pending.gatewayId(), batch.size(), batch.dataClass(), batch.serial(), batch.day(), stored.added(),
                stored.duplicates());
    }

    private static Optional<Reply> answer(String gatewayId, BatchAck ack) {
        return Optional.of(new Reply(Topics.ack(gatewayId), Payloads.encodeAck(ack)));
    }

    private void onStatus(String gatewayId, String topic, byte[] payload) {
        GatewayStatus status;
        try {
            status = Payloads.decodeStatus(payload);
        } catch (MalformedPayloadException e) {
            LOG.warn("Malformed status from gateway {} on {} ({} bytes): {}", gatewayId, topic, payload.length,
                    e.getMessage());
            return;
        }
        Instant now = clock.instant();
        boolean applied = inTransaction("status of gateway " + gatewayId, () -> {
            if (!Gateways.applyStatus(connection, gatewayId, status, now)) {
                LOG.info("Ignored stale {} status of gateway {} (session {})", status.online() ? "online" : "offline",
                        gatewayId, status.session());
                return false;
            }
            LOG.info("Gateway {} {} (session {}, {})", gatewayId, status.online() ? "online" : "offline",
                    status.session(), status.software());
            for (IngestListener listener : listeners) {
                listener.statusApplied(connection, gatewayId, status, now);
            }
            return true;
        });
        if (applied) {
            listeners.forEach(listener -> listener.statusCommitted(gatewayId, status));
        }
    }

    private void onCommandResult(String gatewayId, String topic, byte[] payload) {
        TaskOutcome outcome;
        try {
            outcome = Payloads.decodeOutcome(payload);
        } catch (MalformedPayloadException e) {
            LOG.warn("Malformed command result from gateway {} on {} ({} bytes, correlation id '{}'): {}", gatewayId,
                    topic, payload.length, e.correlationId(), e.getMessage());
            return;
        }
        Instant now = clock.instant();
        boolean stored = inTransaction("command result " + outcome.correlationId() + " of gateway " + gatewayId, () -> {
            if (!CommandResults.store(connection, database.dialect(), gatewayId, outcome, now)) {
                LOG.debug("Command result {} of gateway {} was already stored", outcome.correlationId(), gatewayId);
                return false;
            }
            for (IngestListener listener : listeners) {
                listener.outcomeStored(connection, gatewayId, outcome, now);
            }
            return true;
        });
        if (stored) {
            listeners.forEach(listener -> listener.outcomeCommitted(gatewayId, outcome));
        }
    }

    private void onInventoryResult(String gatewayId, String topic, byte[] payload) {
        InventoryResult result;
        try {
            result = Payloads.decodeInventoryResult(payload);
        } catch (MalformedPayloadException e) {
            LOG.warn("Malformed inventory result from gateway {} on {} ({} bytes, correlation id '{}'): {}", gatewayId,
                    topic, payload.length, e.correlationId(), e.getMessage());
            return;
        }
        Instant now = clock.instant();
        inTransaction("inventory result " + result.correlationId() + " of gateway " + gatewayId, () -> {
            for (IngestListener listener : listeners) {
                listener.inventoryResultArrived(connection, gatewayId, result, now);
            }
            return true;
        });
    }

    /** Work on the writer's connection; {@code E} is what it may throw besides SQL errors. */
    private interface Store<T, E extends Exception> {
        T run() throws SQLException, E;
    }

    /** Runs {@code work} and commits; returns what it returned, or false if it failed and was rolled back. */
    private boolean inTransaction(String what, Store<Boolean, RuntimeException> work) {
        try {
            return reconnecting(what, () -> {
                boolean result = work.run();
                connection.commit();
                return result;
            });
        } catch (SQLException e) {
            LOG.error("Could not store {}: {}", what, e.getMessage(), e);
            if (connection != null) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    LOG.error("Rollback failed after storing {}", what, rollback);
                }
            }
            return false;
        }
    }

    /**
     * Runs {@code store} on the writer's connection. When the connection is lost, nothing of the open transaction
     * was committed: the writer drops the connection, waits (longer each time, up to
     * {@value #MAX_RECONNECT_PAUSE_MS} ms), takes a new one and runs {@code store} again — until the database answers
     * or the writer is interrupted (central closing), when the last failure is thrown.
     */
    private <T, E extends Exception> T reconnecting(String what, Store<T, E> store) throws SQLException, E {
        long pause = FIRST_RECONNECT_PAUSE_MS;
        while (true) {
            try {
                if (connection == null) {
                    connect();
                }
                return store.run();
            } catch (SQLException e) {
                if (!database.isConnectionLost(e)) {
                    throw e;
                }
                dropConnection();
                LOG.warn("Database connection lost while storing {} ({}); trying again in {} ms", what,
                        e.getMessage(), pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(pause * 2, MAX_RECONNECT_PAUSE_MS);
            }
        }
    }

    private void dropConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the lost connection: {}", e.getMessage());
        }
        connection = null;
        batches = null;
    }

    @Override
    public void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }
}

package org.medida.central.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.medida.central.db.Database;
import org.medida.central.gateways.Gateways;
import org.medida.edge.api.Batch;
import org.medida.edge.api.TaskOutcome;
import org.medida.protocol.BatchAck;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.MalformedPayloadException;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What central does with one message from a gateway, on the single writer thread: find the gateway (unknown ones
 * and topics outside the scheme are logged and dropped), decode and validate the payload, store it in one
 * transaction, and only then name the answer to publish — a {@link BatchAck} for a batch. A malformed payload is
 * logged with gateway, topic, size and reason and, if its batch id was readable, refused; it never throws out of
 * here and never leaves anything half-stored.
 */
public final class IngestHandler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);

    private final Connection connection;
    private final Database database;
    private final Gateways gateways;
    private final Clock clock;
    private final BatchStore batches;

    /** An answer to publish once the message is committed. */
    public record Reply(String topic, byte[] payload) {
    }

    /** Opens the writer's connection to {@code database}. */
    public IngestHandler(Database database, Gateways gateways, Clock clock) throws SQLException {
        this.database = database;
        this.gateways = gateways;
        this.clock = clock;
        this.connection = database.connect();
        this.batches = new BatchStore(connection, database.dialect());
    }

    /** Handles a message that arrived on {@code topic}; returns the answer to publish, if the sender gets one. */
    public Optional<Reply> handle(String topic, byte[] payload) {
        Optional<String> gateway = Topics.gatewayOf(topic);
        if (gateway.isEmpty()) {
            LOG.warn("Ignored {} bytes on {}: not a topic of the medida/v1 gateway scheme", payload.length, topic);
            return Optional.empty();
        }
        String gatewayId = gateway.get();
        if (!gateways.isKnown(gatewayId)) {
            LOG.warn("Ignored {} bytes on {}: unknown gateway {}", payload.length, topic, gatewayId);
            return Optional.empty();
        }
        if (topic.equals(Topics.batch(gatewayId))) {
            return Optional.ofNullable(onBatch(gatewayId, topic, payload));
        }
        if (topic.equals(Topics.status(gatewayId))) {
            onStatus(gatewayId, topic, payload);
        } else if (topic.equals(Topics.commandResult(gatewayId))) {
            onCommandResult(gatewayId, topic, payload);
        } else {
            LOG.warn("Ignored {} bytes on {}: central does not take messages on this topic", payload.length, topic);
        }
        return Optional.empty();
    }

    /** The acknowledgement to publish, or null when there is none to give (unreadable id, database failure). */
    private Reply onBatch(String gatewayId, String topic, byte[] payload) {
        BatchAck ack = store(gatewayId, topic, payload);
        return ack == null ? null : new Reply(Topics.ack(gatewayId), Payloads.encodeAck(ack));
    }

    private BatchAck store(String gatewayId, String topic, byte[] payload) {
        Batch batch;
        try {
            batch = Payloads.decodeBatch(payload);
        } catch (MalformedPayloadException e) {
            LOG.warn("Malformed batch from gateway {} on {} ({} bytes): {}", gatewayId, topic, payload.length,
                    e.getMessage());
            return e.batchId().isPresent() ? BatchAck.refused(e.batchId().getAsLong(), e.getMessage()) : null;
        }
        try {
            BatchStore.Stored stored = batches.store(gatewayId, batch, clock.instant());
            LOG.debug("Batch {} of gateway {} ({} {} of {} day {}): {} rows added, {} already stored", batch.id(),
                    gatewayId, batch.size(), batch.dataClass(), batch.serial(), batch.day(), stored.added(),
                    stored.duplicates());
            return BatchAck.committed(batch.id());
        } catch (RefusedBatchException e) {
            LOG.warn("Refused batch {} of gateway {} ({} of {}): {}", batch.id(), gatewayId, batch.dataClass(),
                    batch.serial(), e.getMessage());
            return BatchAck.refused(batch.id(), e.getMessage());
        } catch (SQLException e) {
            // Not the batch's fault: no answer, so the gateway keeps it and sends it again.
            LOG.error("Could not store batch {} of gateway {}: {}", batch.id(), gatewayId, e.getMessage(), e);
            return null;
        }
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
        inTransaction("status of gateway " + gatewayId, () -> {
            if (Gateways.applyStatus(connection, gatewayId, status, clock.instant())) {
                LOG.info("Gateway {} {} (session {}, {})", gatewayId, status.online() ? "online" : "offline",
                        status.session(), status.software());
            } else {
                LOG.info("Ignored stale {} status of gateway {} (session {})", status.online() ? "online" : "offline",
                        gatewayId, status.session());
            }
        });
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
        inTransaction("command result " + outcome.correlationId() + " of gateway " + gatewayId, () -> {
            if (!CommandResults.store(connection, database.dialect(), gatewayId, outcome, clock.instant())) {
                LOG.debug("Command result {} of gateway {} was already stored", outcome.correlationId(), gatewayId);
            }
        });
    }

    private interface Work {
        void run() throws SQLException;
    }

    private void inTransaction(String what, Work work) {
        try {
            work.run();
            connection.commit();
        } catch (SQLException e) {
            LOG.error("Could not store {}: {}", what, e.getMessage(), e);
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                LOG.error("Rollback failed after storing {}", what, rollback);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}

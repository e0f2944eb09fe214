package org.medida.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalLong;

import org.medida.edge.api.Batch;
import org.medida.edge.api.DataClass;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.Priority;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;

/**
 * Encodes and decodes every payload of the protocol (docs/protocol.md). A payload starts with the byte {@code 'M'},
 * the format version ({@value #VERSION}) and the message type; the body follows. Encoding checks the message
 * against the same bounds decoding enforces and throws {@link IllegalArgumentException} if it could not be decoded
 * on the other side. Decoding reads the whole payload and either returns a complete, valid message or throws
 * {@link MalformedPayloadException}: never a partial message.
 */
public final class Payloads {

    /** Larger payloads are refused unread; a batch of a meter's day of 15-minute entries is about 1 KiB. */
    public static final int MAX_PAYLOAD_BYTES = 262_144;

    static final byte MAGIC = 'M';
    static final byte VERSION = 1;

    private static final long MAX_EPOCH_DAY = 3_000_000;

    private Payloads() {
    }

    public static byte[] encodeBatch(Batch batch) {
        PayloadWriter out = new PayloadWriter().header(MessageType.BATCH);
        out.unsigned(batch.id());
        out.string(batch.serial(), Limits.Text.SERIAL);
        out.signed(batch.day().toEpochDay());
        out.code(WireCodes.codeOf(WireCodes.DATA_CLASSES, batch.dataClass()));
        if (batch.size() == 0) {
            throw new IllegalArgumentException("batch " + batch.id() + " has no rows");
        }
        if (batch instanceof Batch.Events events) {
            BatchBodies.writeEvents(out, events.events());
        } else if (batch instanceof Batch.Registers registers) {
            BatchBodies.writeRegisters(out, registers.readings());
        } else if (batch instanceof Batch.Drops drops) {
            BatchBodies.writeDrops(out, drops.drops());
        } else if (batch instanceof Batch.Gaps gaps) {
            BatchBodies.writeGaps(out, gaps.gaps());
        } else if (batch instanceof Batch.Intervals intervals) {
            BatchBodies.writeBlocks(out, batch.serial(), intervals.blocks());
        }
        return out.toByteArray();
    }

    public static Batch decodeBatch(byte[] payload) throws MalformedPayloadException {
        PayloadReader in = PayloadReader.open(payload, MessageType.BATCH);
        long id = in.nonNegative("batch id");
        try {
            String serial = in.string("serial", Limits.Text.SERIAL);
            long epochDay = in.signed("day");
            if (Math.abs(epochDay) > MAX_EPOCH_DAY) {
                throw in.fault("day", "epoch day " + epochDay + " out of range");
            }
            LocalDate day = LocalDate.ofEpochDay(epochDay);
            DataClass dataClass = WireCodes.read(WireCodes.DATA_CLASSES, in, "data class");
            Batch batch = switch (dataClass) {
                case EVENTS -> new Batch.Events(id, serial, day, BatchBodies.readEvents(in));
                case REGISTERS -> new Batch.Registers(id, serial, day, BatchBodies.readRegisters(in, 1));
                case DROPS -> new Batch.Drops(id, serial, day, BatchBodies.readDrops(in, serial));
                case GAPS -> new Batch.Gaps(id, serial, day, BatchBodies.readGaps(in, serial));
                case INTERVALS -> new Batch.Intervals(id, serial, day, BatchBodies.readBlocks(in, serial));
            };
            in.end();
            return batch;
        } catch (MalformedPayloadException e) {
            throw new MalformedPayloadException(e.getMessage(), OptionalLong.of(id), "");
        } catch (ArithmeticException | DateTimeException | IllegalArgumentException e) {
            throw new MalformedPayloadException("invalid batch: " + e.getMessage(), OptionalLong.of(id), "");
        }
    }

    public static byte[] encodeAck(BatchAck ack) {
        PayloadWriter out = new PayloadWriter().header(MessageType.BATCH_ACK);
        out.unsigned(ack.batchId());
        out.flag(ack.committed());
        out.string(ack.error(), Limits.Text.REASON);
        return out.toByteArray();
    }

    public static BatchAck decodeAck(byte[] payload) throws MalformedPayloadException {
        PayloadReader in = PayloadReader.open(payload, MessageType.BATCH_ACK);
        long id = in.nonNegative("batch id");
        boolean committed = in.flag("committed");
        String error = in.string("error", Limits.Text.REASON);
        in.end();
        try {
            return new BatchAck(id, committed, error);
        } catch (IllegalArgumentException e) {
            throw new MalformedPayloadException("invalid acknowledgement: " + e.getMessage());
        }
    }

    public static byte[] encodeStatus(GatewayStatus status) {
        PayloadWriter out = new PayloadWriter().header(MessageType.GATEWAY_STATUS);
        out.flag(status.online());
        out.unsigned(status.session());
        out.signed(status.at().toEpochMilli());
        out.string(status.software(), Limits.Text.SOFTWARE);
        return out.toByteArray();
    }

    public static GatewayStatus decodeStatus(byte[] payload) throws MalformedPayloadException {
        PayloadReader in = PayloadReader.open(payload, MessageType.GATEWAY_STATUS);
        boolean online = in.flag("online");
        long session = in.nonNegative("session");
        Instant at = Instant.ofEpochMilli(in.signed("time"));
        String software = in.string("software", Limits.Text.SOFTWARE);
        in.end();
        return new GatewayStatus(online, session, at, software);
    }

    public static byte[] encodeTask(MeterTask task) {
        PayloadWriter out = new PayloadWriter().header(MessageType.TASK);
        writeTask(out, task);
        return out.toByteArray();
    }

    public static MeterTask decodeTask(byte[] payload) throws MalformedPayloadException {
        PayloadReader in = PayloadReader.open(payload, MessageType.TASK);
        String correlationId = in.string("correlation id", Limits.Text.CORRELATION_ID);
        try {
            MeterTask task = readTask(in, correlationId);
            in.end();
            return task;
        } catch (MalformedPayloadException | IllegalArgumentException e) {
            throw new MalformedPayloadException(e.getMessage(), OptionalLong.empty(), correlationId);
        }
    }

    /**
     * A command request signed by central (X2): the task's fields, when central issued it, a nonce never used
     * twice, and the Ed25519 signature of {@code signer} over every byte before it (header included).
     */
    public static byte[] encodeSignedTask(MeterTask task, Instant issuedAt, String nonce, CommandSigner signer) {
        PayloadWriter out = new PayloadWriter().header(MessageType.SIGNED_TASK);
        writeTask(out, task);
        out.signed(issuedAt.toEpochMilli());
        out.string(nonce, Limits.Text.CORRELATION_ID);
        out.raw(signer.sign(out.toByteArray()));
        return out.toByteArray();
    }

    /**
     * A command request of either kind: a signed one (type 8) with its signature still to be checked by
     * {@link CommandVerifier}, or an unsigned one (type 4), which carries no signature.
     */
    public static CommandRequest decodeRequest(byte[] payload) throws MalformedPayloadException {
        if (PayloadReader.typeOf(payload) != MessageType.SIGNED_TASK.code()) {
            return CommandRequest.unsigned(decodeTask(payload));
        }
        PayloadReader in = PayloadReader.open(payload, MessageType.SIGNED_TASK);
        String correlationId = in.string("correlation id", Limits.Text.CORRELATION_ID);
        try {
            MeterTask task = readTask(in, correlationId);
            Instant issuedAt = Instant.ofEpochMilli(in.signed("issue time"));
            String nonce = in.string("nonce", Limits.Text.CORRELATION_ID);
            byte[] signed = in.readSoFar();
            byte[] signature = in.raw("signature", CommandSigner.SIGNATURE_BYTES);
            in.end();
            return new CommandRequest(task, issuedAt, nonce, signed, signature);
        } catch (MalformedPayloadException | IllegalArgumentException e) {
            throw new MalformedPayloadException(e.getMessage(), OptionalLong.empty(), correlationId);
        }
    }

    private static void writeTask(PayloadWriter out, MeterTask task) {
        out.string(task.correlationId(), Limits.Text.CORRELATION_ID);
        out.string(task.serial(), Limits.Text.SERIAL);
        out.code(WireCodes.codeOf(WireCodes.TASK_KINDS, task.kind()));
        out.unsigned(task.argument());
        out.code(WireCodes.codeOf(WireCodes.PRIORITIES, task.priority()));
        out.signed(task.expiresAt().toEpochMilli());
    }

    /** The task's fields after its correlation id (read first, so a fault can name it). */
    private static MeterTask readTask(PayloadReader in, String correlationId) throws MalformedPayloadException {
        String serial = in.string("serial", Limits.Text.SERIAL);
        TaskKind kind = WireCodes.read(WireCodes.TASK_KINDS, in, "task kind");
        long argument = in.nonNegative("argument");
        Priority priority = WireCodes.read(WireCodes.PRIORITIES, in, "priority");
        Instant expiresAt = Instant.ofEpochMilli(in.signed("expiry"));
        return new MeterTask(correlationId, serial, kind, argument, priority, expiresAt);
    }

    public static byte[] encodeOutcome(TaskOutcome outcome) {
        PayloadWriter out = new PayloadWriter().header(MessageType.OUTCOME);
        out.string(outcome.correlationId(), Limits.Text.CORRELATION_ID);
        out.string(outcome.serial(), Limits.Text.SERIAL);
        out.code(WireCodes.codeOf(WireCodes.TASK_STATUSES, outcome.status()));
        out.string(outcome.detail(), Limits.Text.REASON);
        out.signed(outcome.completedAt().toEpochMilli());
        BatchBodies.writeRegisters(out, outcome.registers());
        SupplyState supply = outcome.supplyState();
        out.flag(supply != null);
        if (supply != null) {
            out.flag(supply.relayClosed());
            out.code(supply.controlState());
        }
        return out.toByteArray();
    }

    public static TaskOutcome decodeOutcome(byte[] payload) throws MalformedPayloadException {
        PayloadReader in = PayloadReader.open(payload, MessageType.OUTCOME);
        String correlationId = in.string("correlation id", Limits.Text.CORRELATION_ID);
        try {
            String serial = in.string("serial", Limits.Text.SERIAL);
            TaskStatus status = WireCodes.read(WireCodes.TASK_STATUSES, in, "task status");
            String detail = in.string("detail", Limits.Text.REASON);
            Instant completedAt = Instant.ofEpochMilli(in.signed("completion time"));
            List<RegisterReading> registers = BatchBodies.readRegisters(in, 0);
            SupplyState supply = null;
            if (in.flag("supply state flag")) {
                boolean relayClosed = in.flag("relay");
                int controlState = in.code("control state");
                if (controlState > SupplyState.READY_FOR_RECONNECTION) {
                    throw in.fault("control state", "unknown control state " + controlState);
                }
                supply = new SupplyState(relayClosed, controlState);
            }
            in.end();
            return new TaskOutcome(correlationId, serial, status, detail, completedAt, registers, supply);
        } catch (MalformedPayloadException | IllegalArgumentException e) {
            throw new MalformedPayloadException(e.getMessage(), OptionalLong.empty(), correlationId);
        }
    }

    public static byte[] encodeInventoryChange(InventoryChange change) {
        PayloadWriter out = new PayloadWriter().header(MessageType.INVENTORY_CHANGE);
        out.string(change.correlationId(), Limits.Text.CORRELATION_ID);
        out.string(change.serial(), Limits.Text.SERIAL);
        out.code(WireCodes.codeOf(WireCodes.INVENTORY_ACTIONS, change.action()));
        if (change.action() == InventoryChange.Action.COMMISSION) {
            MeterRefBodies.write(out, change.meter());
        }
        return out.toByteArray();
    }

    public static InventoryChange decodeInventoryChange(byte[] payload) throws MalformedPayloadException {
        PayloadReader in = PayloadReader.open(payload, MessageType.INVENTORY_CHANGE);
        String correlationId = in.string("correlation id", Limits.Text.CORRELATION_ID);
        try {
            String serial = in.string("serial", Limits.Text.SERIAL);
            InventoryChange.Action action = WireCodes.read(WireCodes.INVENTORY_ACTIONS, in, "action");
            InventoryChange change = action == InventoryChange.Action.COMMISSION
                    ? InventoryChange.commission(correlationId, MeterRefBodies.read(in, serial))
                    : InventoryChange.decommission(correlationId, serial);
            in.end();
            return change;
        } catch (MalformedPayloadException | IllegalArgumentException e) {
            throw new MalformedPayloadException(e.getMessage(), OptionalLong.empty(), correlationId);
        }
    }

    public static byte[] encodeInventoryResult(InventoryResult result) {
        PayloadWriter out = new PayloadWriter().header(MessageType.INVENTORY_RESULT);
        out.string(result.correlationId(), Limits.Text.CORRELATION_ID);
        out.string(result.serial(), Limits.Text.SERIAL);
        out.code(WireCodes.codeOf(WireCodes.INVENTORY_STATUSES, result.status()));
        out.string(result.detail(), Limits.Text.REASON);
        return out.toByteArray();
    }

    public static InventoryResult decodeInventoryResult(byte[] payload) throws MalformedPayloadException {
        PayloadReader in = PayloadReader.open(payload, MessageType.INVENTORY_RESULT);
        String correlationId = in.string("correlation id", Limits.Text.CORRELATION_ID);
        try {
            String serial = in.string("serial", Limits.Text.SERIAL);
            InventoryResult.Status status = WireCodes.read(WireCodes.INVENTORY_STATUSES, in, "status");
            String detail = in.string("detail", Limits.Text.REASON);
            in.end();
            return new InventoryResult(correlationId, serial, status, detail);
        } catch (MalformedPayloadException | IllegalArgumentException e) {
            throw new MalformedPayloadException(e.getMessage(), OptionalLong.empty(), correlationId);
        }
    }
}

package org.medida.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.medida.edge.api.Batch;

/** Whatever arrives, decoding ends in a complete message or a MalformedPayloadException: nothing else escapes. */
class MalformedPayloadsTest {

    private interface Decoder {
        Object decode(byte[] payload) throws MalformedPayloadException;
    }

    private static final List<Decoder> DECODERS = List.of(Payloads::decodeBatch, Payloads::decodeAck,
            Payloads::decodeStatus, Payloads::decodeTask, Payloads::decodeOutcome, Payloads::decodeInventoryChange,
            Payloads::decodeInventoryResult);

    @Test
    void everyTruncationOfEveryMessageIsRefused() {
        for (byte[] payload : validPayloads()) {
            for (int length = 0; length < payload.length; length++) {
                byte[] truncated = Arrays.copyOf(payload, length);
                for (Decoder decoder : DECODERS) {
                    assertThrows(MalformedPayloadException.class, () -> decoder.decode(truncated));
                }
            }
        }
    }

    @Test
    void randomGarbageAndFlippedBytesNeverEscapeAsAnotherException() {
        Random random = new Random(20261122);
        for (int round = 0; round < 20_000; round++) {
            byte[] payload = random.nextBoolean() ? garbage(random) : flipped(random);
            for (Decoder decoder : DECODERS) {
                try {
                    decoder.decode(payload);
                } catch (MalformedPayloadException expected) {
                    // a clear refusal is the only acceptable failure
                }
            }
        }
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] ack = Payloads.encodeAck(BatchAck.committed(5));
        byte[] longer = Arrays.copyOf(ack, ack.length + 1);
        MalformedPayloadException e = assertThrows(MalformedPayloadException.class, () -> Payloads.decodeAck(longer));
        assertTrue(e.getMessage().contains("unexpected bytes"), e.getMessage());
    }

    @Test
    void oversizedPayloadsAreRefusedUnread() {
        byte[] huge = new byte[Payloads.MAX_PAYLOAD_BYTES + 1];
        MalformedPayloadException e = assertThrows(MalformedPayloadException.class, () -> Payloads.decodeBatch(huge));
        assertTrue(e.getMessage().contains("over the limit"), e.getMessage());
    }

    @Test
    void anotherVersionOrMessageTypeIsNamedInTheError() {
        byte[] batch = Payloads.encodeBatch(SampleMessages.intervals());
        byte[] future = batch.clone();
        future[1] = 2;
        MalformedPayloadException version = assertThrows(MalformedPayloadException.class,
                () -> Payloads.decodeBatch(future));
        assertTrue(version.getMessage().contains("version 2"), version.getMessage());
        MalformedPayloadException type = assertThrows(MalformedPayloadException.class, () -> Payloads.decodeAck(batch));
        assertTrue(type.getMessage().contains("data batch"), type.getMessage());
        assertThrows(MalformedPayloadException.class, () -> Payloads.decodeBatch("{\"json\":1}".getBytes()));
        assertThrows(MalformedPayloadException.class, () -> Payloads.decodeBatch(null));
    }

    @Test
    void aBrokenBatchStillNamesItsIdSoCentralCanAnswer() {
        Batch.Intervals batch = SampleMessages.intervals();
        byte[] payload = Payloads.encodeBatch(batch);
        byte[] truncated = Arrays.copyOf(payload, payload.length - 3);
        MalformedPayloadException e = assertThrows(MalformedPayloadException.class,
                () -> Payloads.decodeBatch(truncated));
        assertEquals(batch.id(), e.batchId().orElseThrow());
    }

    @Test
    void aBrokenTaskStillNamesItsCorrelationId() {
        byte[] payload = Payloads.encodeTask(SampleMessages.task());
        byte[] truncated = Arrays.copyOf(payload, payload.length - 2);
        MalformedPayloadException e = assertThrows(MalformedPayloadException.class,
                () -> Payloads.decodeTask(truncated));
        assertEquals(SampleMessages.task().correlationId(), e.correlationId());
    }

    @Test
    void aBrokenInventoryChangeStillNamesItsCorrelationIdButNoSecret() {
        InventoryChange change = SampleMessages.commission();
        byte[] payload = Payloads.encodeInventoryChange(change);
        byte[] truncated = Arrays.copyOf(payload, payload.length - 5);
        MalformedPayloadException e = assertThrows(MalformedPayloadException.class,
                () -> Payloads.decodeInventoryChange(truncated));
        assertEquals(change.correlationId(), e.correlationId());
        assertTrue(e.getMessage().contains("authentication key"), e.getMessage());
    }

    @Test
    void anInventoryChangeWithAnUnknownLinkOrAnLlsMeterWithoutPasswordIsRefused() {
        byte[] payload = Payloads.encodeInventoryChange(SampleMessages.commission());
        int linkKind = 3 + 1 + SampleMessages.commission().correlationId().length() + 1
                + SampleMessages.SERIAL.length() + 1;
        byte[] unknownLink = payload.clone();
        unknownLink[linkKind] = 9;
        MalformedPayloadException link = assertThrows(MalformedPayloadException.class,
                () -> Payloads.decodeInventoryChange(unknownLink));
        assertTrue(link.getMessage().contains("link kind"), link.getMessage());
        InventoryChange lls = InventoryChange.commission("c-1", new org.medida.edge.api.MeterRef("M1",
                new org.medida.edge.api.MeterLink.TcpWrapper("h", 1),
                new org.medida.edge.api.MeterSecurity(org.medida.edge.api.MeterSecurity.Level.NONE, 1, null, null,
                        null)));
        byte[] none = Payloads.encodeInventoryChange(lls);
        // the security level is the 6th byte from the end: level, SAP, three absent secrets
        none[none.length - 5] = 1;
        MalformedPayloadException password = assertThrows(MalformedPayloadException.class,
                () -> Payloads.decodeInventoryChange(none));
        assertTrue(password.getMessage().contains("LLS needs a password"), password.getMessage());
        assertEquals("c-1", password.correlationId());
    }

    private static List<byte[]> validPayloads() {
        List<byte[]> payloads = new java.util.ArrayList<>();
        SampleMessages.everyClass().forEach(batch -> payloads.add(Payloads.encodeBatch(batch)));
        payloads.add(Payloads.encodeAck(BatchAck.refused(3, "no")));
        payloads.add(Payloads.encodeStatus(SampleMessages.birth()));
        payloads.add(Payloads.encodeTask(SampleMessages.task()));
        payloads.add(Payloads.encodeOutcome(SampleMessages.outcome()));
        payloads.add(Payloads.encodeInventoryChange(SampleMessages.commission()));
        payloads.add(Payloads.encodeInventoryChange(SampleMessages.decommission()));
        payloads.add(Payloads.encodeInventoryResult(SampleMessages.inventoryResult()));
        return payloads;
    }

    private static byte[] garbage(Random random) {
        byte[] payload = new byte[random.nextInt(64)];
        random.nextBytes(payload);
        if (payload.length > 3 && random.nextBoolean()) {
            payload[0] = 'M';
            payload[1] = 1;
            payload[2] = (byte) (1 + random.nextInt(7));
        }
        return payload;
    }

    private static byte[] flipped(Random random) {
        List<byte[]> valid = validPayloads();
        byte[] payload = valid.get(random.nextInt(valid.size())).clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int at = 3 + random.nextInt(payload.length - 3);
            payload[at] = (byte) random.nextInt(256);
        }
        return payload;
    }
}

package org.medida.protocol;

import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads what {@link PayloadWriter} writes, checking every step: a truncated payload, an overlong varint, a string
 * over its limit or invalid UTF-8, a count larger than the bytes left could hold, trailing bytes — each is a
 * {@link MalformedPayloadException} naming the field and the byte offset.
 */
final class PayloadReader {

    private final byte[] payload;
    private int position;

    private PayloadReader(byte[] payload) {
        this.payload = payload;
    }

    /** Checks size, magic, version and message type, and positions the reader at the body. */
    static PayloadReader open(byte[] payload, MessageType expected) throws MalformedPayloadException {
        if (payload == null || payload.length == 0) {
            throw new MalformedPayloadException("empty payload");
        }
        if (payload.length > Payloads.MAX_PAYLOAD_BYTES) {
            throw new MalformedPayloadException("payload of " + payload.length + " bytes is over the limit of "
                    + Payloads.MAX_PAYLOAD_BYTES);
        }
        if (payload.length < 3 || payload[0] != Payloads.MAGIC) {
            throw new MalformedPayloadException("not a Medida payload (no 'M' header)");
        }
        if (payload[1] != Payloads.VERSION) {
            throw new MalformedPayloadException("unsupported payload version " + (payload[1] & 0xFF)
                    + " (this side speaks " + Payloads.VERSION + ")");
        }
        int type = payload[2] & 0xFF;
        if (type != expected.code()) {
            throw new MalformedPayloadException("expected a " + expected.description() + " (type " + expected.code()
                    + "), got " + MessageType.describe(type));
        }
        PayloadReader reader = new PayloadReader(payload);
        reader.position = 3;
        return reader;
    }

    long unsigned(String field) throws MalformedPayloadException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = nextByte(field);
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 63 && b > 1) {
                    break;
                }
                return value;
            }
        }
        throw fault(field, "varint longer than 64 bits");
    }

    long nonNegative(String field) throws MalformedPayloadException {
        long value = unsigned(field);
        if (value < 0) {
            throw fault(field, "value out of range");
        }
        return value;
    }

    long signed(String field) throws MalformedPayloadException {
        long zigzag = unsigned(field);
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    int bounded(String field, long min, long max) throws MalformedPayloadException {
        long value = unsigned(field);
        if (value < min || value > max) {
            throw fault(field, value + " is outside " + min + ".." + max);
        }
        return (int) value;
    }

    /** A count of items each at least {@code minBytesEach} long: never more than the bytes left could hold. */
    int count(String field, int min, int minBytesEach) throws MalformedPayloadException {
        return bounded(field, min, Math.max(min, remaining() / minBytesEach));
    }

    boolean flag(String field) throws MalformedPayloadException {
        int b = nextByte(field);
        if (b > 1) {
            throw fault(field, "flag byte is " + b + ", expected 0 or 1");
        }
        return b == 1;
    }

    int code(String field) throws MalformedPayloadException {
        return nextByte(field);
    }

    String string(String field, Limits.Text limit) throws MalformedPayloadException {
        int length = bounded(field + " length", 0, limit.maxBytes());
        if (length > remaining()) {
            throw fault(field, "truncated: " + length + " bytes announced, " + remaining() + " left");
        }
        try {
            String value = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload, position, length))
                    .toString();
            position += length;
            String problem = limit.problem(value);
            if (problem != null) {
                throw fault(field, problem);
            }
            return value;
        } catch (CharacterCodingException e) {
            throw fault(field, "not valid UTF-8");
        }
    }

    /** What {@link PayloadWriter#optionalBytes} writes; null when absent. Never echoes the bytes in a fault. */
    byte[] optionalBytes(String field, int maxBytes) throws MalformedPayloadException {
        if (!flag(field + " flag")) {
            return null;
        }
        return raw(field, bounded(field + " length", 0, maxBytes));
    }

    /** Exactly {@code length} bytes. */
    byte[] raw(String field, int length) throws MalformedPayloadException {
        if (length > remaining()) {
            throw fault(field, "truncated: " + length + " bytes expected, " + remaining() + " left");
        }
        byte[] bytes = Arrays.copyOfRange(payload, position, position + length);
        position += length;
        return bytes;
    }

    /** The payload's bytes before the current position. */
    byte[] readSoFar() {
        return Arrays.copyOf(payload, position);
    }

    /** The message type byte of the payload. */
    static int typeOf(byte[] payload) {
        return payload != null && payload.length >= 3 ? payload[2] & 0xFF : -1;
    }

    BigDecimal decimal(String field) throws MalformedPayloadException {
        int scale = Limits.checkScale(signed(field + " scale"), this, field);
        return BigDecimal.valueOf(signed(field), scale);
    }

    /** The body must have been read to its last byte. */
    void end() throws MalformedPayloadException {
        if (position != payload.length) {
            throw new MalformedPayloadException((payload.length - position) + " unexpected bytes after the message at offset "
                    + position);
        }
    }

    MalformedPayloadException fault(String field, String problem) {
        return new MalformedPayloadException(field + " at byte " + position + ": " + problem);
    }

    private int remaining() {
        return payload.length - position;
    }

    private int nextByte(String field) throws MalformedPayloadException {
        if (position >= payload.length) {
            throw new MalformedPayloadException("truncated payload: " + field + " missing at byte " + position);
        }
        return payload[position++] & 0xFF;
    }
}

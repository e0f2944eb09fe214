package org.medida.protocol;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** Writes the primitives payloads are made of: unsigned and zig-zag varints (LEB128), bytes, bounded UTF-8 strings. */
final class PayloadWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    PayloadWriter header(MessageType type) {
        out.write(Payloads.MAGIC);
        out.write(Payloads.VERSION);
        out.write(type.code());
        return this;
    }

    void unsigned(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value where an unsigned one is expected: " + value);
        }
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    void signed(long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
    }

    void flag(boolean value) {
        out.write(value ? 1 : 0);
    }

    void code(int value) {
        out.write(value);
    }

    void raw(byte[] bytes) {
        out.writeBytes(bytes);
    }

    void string(String value, Limits.Text limit) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        limit.check(bytes.length, value);
        unsigned(bytes.length);
        out.writeBytes(bytes);
    }

    /** Bytes that may be absent: a presence flag, then the length and the bytes. */
    void optionalBytes(byte[] value, int maxBytes) {
        flag(value != null);
        if (value != null) {
            if (value.length > maxBytes) {
                throw new IllegalArgumentException("more than " + maxBytes + " bytes of secret material");
            }
            unsigned(value.length);
            out.writeBytes(value);
        }
    }

    /** A decimal on its own: scale, then the unscaled digits (which must fit a long). */
    void decimal(BigDecimal value) {
        signed(Limits.scaleOf(value));
        signed(Limits.unscaled(value, value.scale()));
    }

    byte[] toByteArray() {
        byte[] payload = out.toByteArray();
        if (payload.length > Payloads.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("message encodes to " + payload.length + " bytes, over the limit of "
                    + Payloads.MAX_PAYLOAD_BYTES + ": send fewer rows per batch");
        }
        return payload;
    }
}

package org.medida.edge.store;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs decimal values into a few bytes: per value its scale and its unscaled digits, each a zig-zag varint. A
 * cumulative energy register of 12 345.678 kWh takes 5 bytes, not the 9 of its text or 8 of a double, and comes back
 * exactly as the meter's scaler made it.
 */
final class ValueCodec {

    private ValueCodec() {
    }

    static byte[] encode(List<BigDecimal> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(values.size() * 5);
        for (BigDecimal value : values) {
            writeVarint(out, zigzag(value.scale()));
            writeVarint(out, zigzag(unscaledLong(value)));
        }
        return out.toByteArray();
    }

    static List<BigDecimal> decode(byte[] packed) {
        List<BigDecimal> values = new ArrayList<>();
        int[] position = {0};
        while (position[0] < packed.length) {
            int scale = (int) unzigzag(readVarint(packed, position));
            values.add(BigDecimal.valueOf(unzigzag(readVarint(packed, position)), scale));
        }
        return values;
    }

    private static long unscaledLong(BigDecimal value) {
        BigInteger unscaled = value.unscaledValue();
        if (unscaled.bitLength() > 63) {
            throw new IllegalArgumentException("value has more digits than a meter register holds: " + value);
        }
        return unscaled.longValue();
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    private static long unzigzag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long readVarint(byte[] packed, int[] position) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte next = packed[position[0]++];
            value |= (long) (next & 0x7F) << shift;
            if (next >= 0) {
                return value;
            }
        }
    }
}

package org.medida.protocol;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/** The bounds every field is checked against, on encoding (fail early, at the sender) and on decoding. */
final class Limits {

    /** Passwords and keys of a meter: an LLS password or an AES key is far shorter. */
    static final int MAX_SECRET_BYTES = 64;

    /** Decimal scales beyond this are not meter values (a scaler is -9..9 in practice). */
    static final int MAX_SCALE = 30;

    private static final Pattern OBIS = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){5}");

    /** Kinds of text and their bounds (UTF-8 bytes). */
    enum Text {
        SERIAL(64, true),
        CORRELATION_ID(64, true),
        OBIS_CODE(23, true),
        UNIT(16, false),
        SOFTWARE(128, false),
        HOST(255, true),
        CHANNEL(128, false),
        REASON(1024, false);

        private final int maxBytes;
        private final boolean required;

        Text(int maxBytes, boolean required) {
            this.maxBytes = maxBytes;
            this.required = required;
        }

        int maxBytes() {
            return maxBytes;
        }

        /** What is wrong with the value, or null. */
        String problem(String value) {
            if (required && value.isBlank()) {
                return "must not be empty";
            }
            if (this == OBIS_CODE && !OBIS.matcher(value).matches()) {
                return "'" + value + "' is not an OBIS code (six numbers 0..255 separated by dots)";
            }
            if (value.chars().anyMatch(Character::isISOControl)) {
                return "contains control characters";
            }
            return null;
        }

        void check(int bytes, String value) {
            if (bytes > maxBytes) {
                throw new IllegalArgumentException(name().toLowerCase() + " longer than " + maxBytes + " bytes: " + value);
            }
            String problem = problem(value);
            if (problem != null) {
                throw new IllegalArgumentException(name().toLowerCase() + " " + problem);
            }
        }
    }

    private Limits() {
    }

    static int scaleOf(BigDecimal value) {
        if (Math.abs(value.scale()) > MAX_SCALE) {
            throw new IllegalArgumentException("decimal scale out of range: " + value);
        }
        return value.scale();
    }

    /** The value's digits at {@code scale} (at least its own, so exact); they must fit a long. */
    static long unscaled(BigDecimal value, int scale) {
        try {
            return value.setScale(scale).unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("value has more digits than the wire carries: " + value, e);
        }
    }

    static int checkScale(long scale, PayloadReader reader, String field) throws MalformedPayloadException {
        if (Math.abs(scale) > MAX_SCALE) {
            throw reader.fault(field, "decimal scale " + scale + " out of range");
        }
        return (int) scale;
    }
}

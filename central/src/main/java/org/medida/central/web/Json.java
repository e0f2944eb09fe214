package org.medida.central.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer for the HTTP view. Hand-written instead of Jackson: the API writes a few flat
 * shapes, decimals must come out exactly as stored (as JSON numbers in plain notation), and it keeps a second
 * serialisation library and its CVE stream out of the central jar. Strings are escaped per RFC 8259.
 */
final class Json {

    private final StringBuilder out = new StringBuilder();
    /** Per open object or array: whether a value has been written in it yet. */
    private final Deque<boolean[]> open = new ArrayDeque<>();

    Json beginObject() {
        value();
        out.append('{');
        open.push(new boolean[1]);
        return this;
    }

    Json endObject() {
        open.pop();
        out.append('}');
        return this;
    }

    Json beginArray() {
        value();
        out.append('[');
        open.push(new boolean[1]);
        return this;
    }

    Json endArray() {
        open.pop();
        out.append(']');
        return this;
    }

    /** The name of the next member of the current object. */
    Json name(String name) {
        value();
        quote(name);
        out.append(':');
        // the member's value follows the colon without a comma
        open.peek()[0] = false;
        return this;
    }

    Json field(String name, String value) {
        if (value == null) {
            return literal(name, "null");
        }
        name(name);
        value();
        quote(value);
        return this;
    }

    Json field(String name, long value) {
        return literal(name, Long.toString(value));
    }

    /** A number, or null when absent. */
    Json optionalField(String name, Long value) {
        return literal(name, value == null ? "null" : value.toString());
    }

    Json field(String name, boolean value) {
        return literal(name, Boolean.toString(value));
    }

    /** An exact decimal as a JSON number in plain notation (every stored digit, no exponent). */
    Json field(String name, BigDecimal value) {
        return literal(name, value.toPlainString());
    }

    /** An instant as an ISO-8601 string, or null. */
    Json field(String name, Instant value) {
        return field(name, value == null ? null : value.toString());
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** A member whose value is written as it is (a number, true, false, null). */
    private Json literal(String name, String json) {
        name(name);
        value();
        out.append(json);
        return this;
    }

    /** Writes the comma before a value that is not the first in its container. */
    private void value() {
        boolean[] container = open.peek();
        if (container != null) {
            if (container[0]) {
                out.append(',');
            }
            container[0] = true;
        }
    }

    private void quote(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

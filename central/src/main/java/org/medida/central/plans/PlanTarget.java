package org.medida.central.plans;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The meters a plan reads (P1): a list of serials, every commissioned meter of a gateway or of a group, or every
 * commissioned meter. {@code value} is the serials comma-separated, the gateway id or the group name ("" for all).
 */
public record PlanTarget(Kind kind, String value) {

    public enum Kind {
        LIST,
        GATEWAY,
        GROUP,
        ALL;

        /** The name in the API and the database: list, gateway, group, all. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind named {@code code}, or null when there is none. */
        static Kind ofCode(String code) {
            for (Kind kind : values()) {
                if (kind.code().equals(code)) {
                    return kind;
                }
            }
            return null;
        }
    }

    public static final PlanTarget ALL_METERS = new PlanTarget(Kind.ALL, "");

    public PlanTarget {
        Objects.requireNonNull(kind, "kind");
        value = kind == Kind.ALL || value == null ? "" : value.strip();
    }

    /** The serials of a list target. */
    List<String> serials() {
        return Arrays.stream(value.split(",")).map(String::strip).filter(serial -> !serial.isEmpty()).distinct()
                .toList();
    }
}

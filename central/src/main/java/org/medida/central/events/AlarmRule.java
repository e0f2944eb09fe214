package org.medida.central.events;

import java.util.Objects;
import java.util.Set;

/**
 * Whether events of {@code source} with {@code code} raise an alarm, and how severe it is. Code -1 matches every
 * code of the source; a rule for the exact code wins over it (so an exact rule that is disabled silences one code).
 */
public record AlarmRule(String source, int code, String severity, boolean enabled) {

    public static final int ANY_CODE = -1;
    public static final Set<String> SEVERITIES = Set.of("critical", "major", "minor");

    public AlarmRule {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(severity, "severity");
    }
}

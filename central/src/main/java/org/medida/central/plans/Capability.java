package org.medida.central.plans;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.medida.edge.api.TaskKind;

/** Which meter capability ({@code meters.capabilities}) a task needs; READ_REGISTERS every meter supports. */
final class Capability {

    private Capability() {
    }

    /** The capability {@code kind} needs, or null when every meter supports it. */
    static String neededBy(TaskKind kind) {
        return switch (kind) {
            case READ_REGISTERS -> null;
            case DISCONNECT, RECONNECT -> "disconnector";
            case SET_POWER_LIMIT, CLEAR_POWER_LIMIT -> "limiter";
            case READ_PROFILE -> "load_profile";
            case READ_EVENTS -> "events";
            case READ_INSTANTANEOUS -> "instantaneous";
            case SYNC_CLOCK -> "clock";
        };
    }

    /** The capabilities of a {@code meters.capabilities} value. */
    static Set<String> parse(String capabilities) {
        return Arrays.stream(capabilities.split(",")).map(String::strip).filter(c -> !c.isEmpty())
                .collect(Collectors.toSet());
    }
}

package org.medida.central.events;

import java.util.Map;

/**
 * The bits of a load-profile entry's AMR profile status (0.0.96.10.1.255) that are events. Daylight saving (0x08)
 * and the reserved bits are not: they say nothing went wrong.
 */
public final class StatusWord {

    /** Mask → name. */
    static final Map<Integer, String> EVENT_BITS = Map.of(0x01, "critical error", 0x02, "clock invalid",
            0x04, "data not valid", 0x20, "clock adjusted", 0x80, "power down");

    private StatusWord() {
    }
}

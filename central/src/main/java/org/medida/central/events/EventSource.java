package org.medida.central.events;

import java.util.Set;

/** The values of {@code central_events.source}; alarm rules name one of them. */
public final class EventSource {

    /** An IDIS event from a meter's log; the code is the IDIS event code. */
    public static final String METER_LOG = "meter_log";
    /** A bit of a load-profile entry's AMR status; the code is the bit's mask (0x80 power down). */
    public static final String STATUS_WORD = "status_word";
    public static final String WORK_ORDER = "work_order";
    public static final String GATEWAY = "gateway";
    public static final String GAP = "gap";
    public static final String LIFECYCLE = "lifecycle";

    public static final Set<String> ALL = Set.of(METER_LOG, STATUS_WORD, WORK_ORDER, GATEWAY, GAP, LIFECYCLE);

    private EventSource() {
    }
}

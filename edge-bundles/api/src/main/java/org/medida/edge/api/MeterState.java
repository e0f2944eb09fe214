package org.medida.edge.api;

/** Where a meter is in its life at this gateway (requirement M3); every change is time-stamped. */
public enum MeterState {
    /** Known to the gateway, not collected yet. */
    REGISTERED,
    /** In the gateway's tables and collected on schedule. */
    COMMISSIONED,
    /** Taken out of service: kept for its history, never talked to again. */
    DECOMMISSIONED
}

package org.medida.edge.api;

/** What an on-demand {@link MeterTask} does on a meter (work orders W1, on-demand reads R1). */
public enum TaskKind {
    /** Billing and current energy registers. */
    READ_REGISTERS,
    /** Load profile entries over the task's look-back ({@link MeterTask#argument()} seconds). */
    READ_PROFILE,
    /** Event log entries over the task's look-back ({@link MeterTask#argument()} seconds). */
    READ_EVENTS,
    /** Instantaneous power, voltage and current. */
    READ_INSTANTANEOUS,
    /** Read the meter clock and correct it by the gateway's clock policy. */
    SYNC_CLOCK,
    DISCONNECT,
    RECONNECT,
    /** Limit active power to {@link MeterTask#argument()} watts. */
    SET_POWER_LIMIT,
    CLEAR_POWER_LIMIT
}

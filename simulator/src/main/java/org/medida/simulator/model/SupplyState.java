package org.medida.simulator.model;

/** Disconnect control {@code control_state} (class 70 attribute 3). */
public enum SupplyState {
    DISCONNECTED,
    CONNECTED,
    READY_FOR_RECONNECTION
}

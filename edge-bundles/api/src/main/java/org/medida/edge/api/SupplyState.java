package org.medida.edge.api;

/**
 * The disconnector as read back from the meter: whether the relay conducts ({@code output_state}) and the
 * {@code control_state} (0 disconnected, 1 connected, 2 ready for reconnection).
 */
public record SupplyState(boolean relayClosed, int controlState) {
    public static final int DISCONNECTED = 0;
    public static final int CONNECTED = 1;
    public static final int READY_FOR_RECONNECTION = 2;
}

package org.medida.simulator.model;

/** The IDIS event codes this meter raises. */
public final class EventCodes {
    public static final int POWER_DOWN = 1;
    public static final int POWER_UP = 2;
    public static final int CLOCK_ADJUSTED_OLD_TIME = 4;
    public static final int CLOCK_ADJUSTED_NEW_TIME = 5;
    public static final int TERMINAL_COVER_REMOVED = 40;
    public static final int TERMINAL_COVER_CLOSED = 41;
    public static final int REPLAY_ATTACK = 50;
    public static final int READY_FOR_RECONNECTION = 59;
    public static final int REMOTE_DISCONNECT = 62;
    public static final int REMOTE_RECONNECT = 63;
    public static final int LIMITER_THRESHOLD_EXCEEDED = 65;
    public static final int LIMITER_THRESHOLD_CHANGED = 67;
    public static final int UNDERVOLTAGE_L1 = 76;
    public static final int VOLTAGE_NORMAL_L1 = 85;

    private EventCodes() {
    }
}

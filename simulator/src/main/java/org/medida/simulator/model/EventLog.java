package org.medida.simulator.model;

/** The meter's event logs (class 7) and the event-code object (class 1) each one captures. */
public enum EventLog {
    STANDARD("0.0.99.98.0.255", "0.0.96.11.0.255"),
    FRAUD("0.0.99.98.1.255", "0.0.96.11.1.255"),
    DISCONNECTOR("0.0.99.98.2.255", "0.0.96.11.2.255"),
    POWER_QUALITY("0.0.99.98.4.255", "0.0.96.11.4.255");

    /** How many events each log keeps, oldest dropped first. */
    public static final int CAPACITY = 100;

    private final String obis;
    private final String eventCodeObis;

    EventLog(String obis, String eventCodeObis) {
        this.obis = obis;
        this.eventCodeObis = eventCodeObis;
    }

    public String obis() {
        return obis;
    }

    public String eventCodeObis() {
        return eventCodeObis;
    }
}

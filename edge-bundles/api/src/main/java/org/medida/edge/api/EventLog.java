package org.medida.edge.api;

/** The IDIS event logs a meter keeps, each a profile generic object. */
public enum EventLog {
    STANDARD("0.0.99.98.0.255"),
    FRAUD("0.0.99.98.1.255"),
    DISCONNECTOR("0.0.99.98.2.255"),
    POWER_QUALITY("0.0.99.98.4.255"),
    /** Long power failures: each entry is when the outage began and how long it lasted. */
    POWER_FAILURE("1.0.99.97.0.255");

    private final String obis;

    EventLog(String obis) {
        this.obis = obis;
    }

    public String obis() {
        return obis;
    }
}

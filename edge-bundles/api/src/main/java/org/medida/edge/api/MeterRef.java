package org.medida.edge.api;

import java.util.Objects;

/** Everything the driver needs to talk to one meter: who it is, how to reach it, and with which security. */
public record MeterRef(String serial, MeterLink link, MeterSecurity security) {
    public MeterRef {
        if (serial == null || serial.isBlank()) {
            throw new IllegalArgumentException("meter serial is required");
        }
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(security, "security");
    }
}

package org.medida.edge.collector;

import org.medida.edge.api.ClockReading;

/** Told about a meter clock that deviates more than the clock policy lets the gateway correct. */
@FunctionalInterface
public interface ClockAlarm {
    void raise(String serial, ClockReading reading);
}

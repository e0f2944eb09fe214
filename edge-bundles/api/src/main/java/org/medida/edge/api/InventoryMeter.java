package org.medida.edge.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the gateway's meter table: how to reach the meter, its lifecycle state and since when, its reachability,
 * and per profile or event log OBIS the high-water mark: the last interval end or event time collected and stored.
 */
public record InventoryMeter(MeterRef meter, MeterState state, Instant stateSince, Reachability reachability,
        Map<String, Instant> highWaterMarks) {

    public InventoryMeter {
        Objects.requireNonNull(meter, "meter");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stateSince, "stateSince");
        Objects.requireNonNull(reachability, "reachability");
        highWaterMarks = Map.copyOf(highWaterMarks);
    }

    public String serial() {
        return meter.serial();
    }

    /** The high-water mark of a profile or event log, empty when nothing was collected from it yet. */
    public Optional<Instant> highWaterMark(String profileObis) {
        return Optional.ofNullable(highWaterMarks.get(profileObis));
    }
}

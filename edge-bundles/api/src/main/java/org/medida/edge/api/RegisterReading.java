package org.medida.edge.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One register value with the meter's scaler already applied, in {@code unit} (DLMS unit symbol: Wh, varh, W, V,
 * A, ...). {@code captureTime} is the meter's own time stamp where the object has one (maximum demand), else null.
 */
public record RegisterReading(String obis, BigDecimal value, String unit, Instant captureTime, Instant readAt) {
    public RegisterReading {
        Objects.requireNonNull(obis, "obis");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(readAt, "readAt");
        unit = unit == null ? "" : unit;
    }
}

package org.medida.edge.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One profile entry: the interval's end as the meter stamped it, the AMR profile status byte (0x80 power down,
 * 0x20 clock adjusted, 0x04 data not valid, ...) and one scaled value per {@link ProfileChannel}, cumulative as the
 * meter captured them.
 */
public record Interval(Instant end, int status, List<BigDecimal> values) {
    public Interval {
        values = List.copyOf(values);
    }
}

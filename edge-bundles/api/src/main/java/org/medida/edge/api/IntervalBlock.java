package org.medida.edge.api;

import java.time.Duration;
import java.util.List;

/** A run of profile entries read from one meter, oldest first, with the columns that describe them. */
public record IntervalBlock(String serial, String profileObis, Duration capturePeriod, List<ProfileChannel> channels,
        List<Interval> intervals) {
    public IntervalBlock {
        channels = List.copyOf(channels);
        intervals = List.copyOf(intervals);
    }
}

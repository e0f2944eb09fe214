package org.medida.edge.store;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.ProfileChannel;

/** Test data: 15-minute load profiles with two cumulative energy channels, as an IDIS meter returns them. */
final class Readings {

    static final String LOAD_PROFILE = "1.0.99.1.0.255";
    static final List<ProfileChannel> CHANNELS = List.of(new ProfileChannel("1.0.1.8.0.255", "Wh"),
            new ProfileChannel("1.0.2.8.0.255", "Wh"));
    static final Duration PERIOD = Duration.ofMinutes(15);
    static final Instant DAY_ONE = Instant.parse("2026-11-01T00:00:00Z");

    private Readings() {
    }

    /** {@code count} entries from {@code firstEnd} on, the values a function of meter and time. */
    static IntervalBlock block(String serial, Instant firstEnd, int count) {
        List<Interval> intervals = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant end = firstEnd.plus(PERIOD.multipliedBy(i));
            long quarter = end.getEpochSecond() / PERIOD.toSeconds();
            intervals.add(new Interval(end, 0, List.of(BigDecimal.valueOf(1_000_000 + quarter % 1_000_000 * 37, 1),
                    BigDecimal.valueOf(quarter % 5_000 + serial.hashCode() % 100))));
        }
        return new IntervalBlock(serial, LOAD_PROFILE, PERIOD, CHANNELS, intervals);
    }

    /** A whole UTC day: the 96 entries whose interval ends fall on it (00:00 to 23:45). */
    static IntervalBlock day(String serial, int dayIndex) {
        return block(serial, DAY_ONE.plus(Duration.ofDays(dayIndex)), 96);
    }
}

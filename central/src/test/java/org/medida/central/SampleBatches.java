package org.medida.central;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.medida.edge.api.Batch;
import org.medida.edge.api.DataDropped;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.ProfileChannel;
import org.medida.edge.api.ProfileGap;
import org.medida.edge.api.RegisterReading;

/** Batches shaped like a gateway's: a meter's day of 15-minute A+/A- entries, billing, events, a gap, a drop. */
public final class SampleBatches {

    public static final LocalDate DAY = LocalDate.of(2026, 11, 21);
    public static final Instant MIDNIGHT = Instant.parse("2026-11-21T00:00:00Z");
    public static final String PROFILE = "1.0.99.1.0.255";

    private SampleBatches() {
    }

    /** Entries {@code first}..{@code last} (1-based quarter hours of the day) of a meter's load profile. */
    public static Batch.Intervals intervals(long id, String serial, int first, int last) {
        List<Interval> intervals = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            intervals.add(new Interval(MIDNIGHT.plus(Duration.ofMinutes(15L * i)), i == 44 ? 0x80 : 0,
                    List.of(importWh(i), new BigDecimal("45.678").add(BigDecimal.valueOf(i, 1)))));
        }
        return new Batch.Intervals(id, serial, DAY, List.of(new IntervalBlock(serial, PROFILE, Duration.ofMinutes(15),
                List.of(new ProfileChannel("1.0.1.8.0.255", "Wh"), new ProfileChannel("1.0.2.8.0.255", "Wh")),
                intervals)));
    }

    /** The A+ value of entry {@code i} in {@link #intervals}: exact, with a trailing zero kept in its scale. */
    public static BigDecimal importWh(int i) {
        return new BigDecimal("12345678.500").add(BigDecimal.valueOf(250L * i));
    }

    public static Batch.Registers billing(long id, String serial) {
        Instant readAt = MIDNIGHT.plusSeconds(600);
        return new Batch.Registers(id, serial, DAY, List.of(
                new RegisterReading("1.0.1.8.0.255", new BigDecimal("12345.678"), "Wh", MIDNIGHT, readAt),
                new RegisterReading("1.0.1.8.1.255", new BigDecimal("5000"), "Wh", MIDNIGHT, readAt),
                new RegisterReading("1.0.1.6.0.255", new BigDecimal("4321.5"), "W", MIDNIGHT.minusSeconds(7200), readAt),
                new RegisterReading("1.0.32.7.0.255", new BigDecimal("230.1"), "V", null, readAt)));
    }

    public static Batch.Events events(long id, String serial) {
        return new Batch.Events(id, serial, DAY, List.of(
                new MeterEvent(EventLog.STANDARD, 1, MIDNIGHT.plusSeconds(3600), 0),
                new MeterEvent(EventLog.FRAUD, 44, MIDNIGHT.plusSeconds(7200), 0),
                new MeterEvent(EventLog.POWER_FAILURE, 1, MIDNIGHT.plusSeconds(3600), 3725)));
    }

    public static Batch.Gaps gaps(long id, String serial) {
        return new Batch.Gaps(id, serial, DAY, List.of(
                new ProfileGap(serial, PROFILE, MIDNIGHT.plusSeconds(36_000), MIDNIGHT.plusSeconds(38_700))));
    }

    public static Batch.Drops drops(long id, String serial) {
        return new Batch.Drops(id, serial, DAY, List.of(
                new DataDropped(serial, MIDNIGHT.plusSeconds(900), MIDNIGHT.plusSeconds(86_400), 96)));
    }
}

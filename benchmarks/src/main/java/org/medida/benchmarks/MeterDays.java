package org.medida.benchmarks;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.ProfileChannel;
import org.medida.simulator.model.MeterClock;
import org.medida.simulator.model.MeterModel;
import org.medida.simulator.model.ProfileEntry;

/**
 * Realistic meter-days of load profile without a DLMS round trip: the simulator's deterministic household model
 * gives each meter its own curve, and the block has the shape the driver reads from a simulated meter (15-minute
 * entries, AMR status, A+ and A- in Wh, cumulative).
 */
final class MeterDays {

    static final String LOAD_PROFILE = "1.0.99.1.0.255";
    static final Duration PERIOD = Duration.ofMinutes(15);
    static final int ENTRIES_PER_DAY = 96;
    static final List<ProfileChannel> CHANNELS = List.of(new ProfileChannel("1.0.1.8.0.255", "Wh"),
            new ProfileChannel("1.0.2.8.0.255", "Wh"));

    private MeterDays() {
    }

    /** The serial of meter {@code index} (1-based), as the simulator names them. */
    static String serial(int index) {
        return String.format("SIM%06d", index);
    }

    /**
     * The 96 entries of {@code day} of the meter's model, stamped 00:00 … 23:45 UTC: one day of the store, which
     * batches by the UTC date of the time stamp.
     */
    static IntervalBlock of(String serial, LocalDate day) {
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        MeterModel model = new MeterModel(serial, new MeterClock(Clock.systemUTC(), Instant.now(),
                dayStart.plus(Duration.ofDays(1)), 1, 0), PERIOD, 960);
        List<Interval> intervals = new ArrayList<>(ENTRIES_PER_DAY);
        for (int i = 0; i < ENTRIES_PER_DAY; i++) {
            ProfileEntry entry = model.profileEntryAt(dayStart.plus(PERIOD.multipliedBy(i)));
            intervals.add(new Interval(entry.time(), entry.status(),
                    List.of(BigDecimal.valueOf(entry.importWh()), BigDecimal.valueOf(entry.exportWh()))));
        }
        return new IntervalBlock(serial, LOAD_PROFILE, PERIOD, CHANNELS, intervals);
    }
}

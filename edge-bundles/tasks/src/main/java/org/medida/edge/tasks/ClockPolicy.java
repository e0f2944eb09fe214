package org.medida.edge.tasks;

import java.time.Duration;
import java.time.Instant;

import org.medida.edge.api.ClockReading;
import org.medida.edge.api.MeterAccessException;
import org.medida.edge.api.MeterCommand;
import org.medida.edge.api.MeterSession;

/**
 * How a meter clock's deviation from the reader's clock is handled: below {@code minDeviation} it is left alone
 * (correcting a second or two only stamps "clock adjusted" on the profile); above {@code maxDeviation} the clock is
 * not touched but an alarm is raised, because such a jump means a fault or tampering that someone must look at; in
 * between it is shifted (keeps the profile's intervals whole, up to 900 s) or, beyond what shift_time allows, set.
 * Shared by the gateway's collector and central's point-to-point reads.
 */
public record ClockPolicy(Duration minDeviation, Duration maxDeviation) {

    /** The largest correction the COSEM clock's shift_time method takes. */
    static final long MAX_SHIFT_SECONDS = 900;

    public ClockPolicy {
        if (minDeviation.isNegative() || maxDeviation.compareTo(minDeviation) < 0) {
            throw new IllegalArgumentException("need 0 <= min deviation <= max deviation: " + minDeviation + ", "
                    + maxDeviation);
        }
    }

    /** Leave up to 5 s alone, correct up to 1 h, alarm beyond. */
    public static ClockPolicy defaults() {
        return new ClockPolicy(Duration.ofSeconds(5), Duration.ofHours(1));
    }

    /** What the policy says about one reading. */
    public sealed interface Decision {
        record LeaveAlone(Duration deviation) implements Decision {
        }

        /** Shift the clock by {@code seconds} (the deviation's opposite). */
        record Shift(Duration deviation, int seconds) implements Decision {
        }

        /** Set the clock to the reader's time. */
        record Set(Duration deviation) implements Decision {
        }

        record Alarm(Duration deviation) implements Decision {
        }
    }

    public Decision decide(ClockReading reading) {
        Duration deviation = reading.deviation();
        Duration size = deviation.abs();
        if (size.compareTo(minDeviation) < 0) {
            return new Decision.LeaveAlone(deviation);
        }
        if (size.compareTo(maxDeviation) > 0) {
            return new Decision.Alarm(deviation);
        }
        long seconds = Math.round(deviation.toMillis() / 1000.0);
        return Math.abs(seconds) <= MAX_SHIFT_SECONDS
                ? new Decision.Shift(deviation, (int) -seconds)
                : new Decision.Set(deviation);
    }

    /**
     * Decides about {@code reading} and carries the correction out in the session's association, setting the clock
     * to {@code now} where it is set; raising an alarm is the caller's.
     */
    public Decision correct(MeterSession session, ClockReading reading, Instant now) throws MeterAccessException {
        Decision decision = decide(reading);
        if (decision instanceof Decision.Shift shift) {
            session.execute(new MeterCommand.ShiftClock(shift.seconds()));
        } else if (decision instanceof Decision.Set) {
            session.execute(new MeterCommand.SetClock(now));
        }
        return decision;
    }
}

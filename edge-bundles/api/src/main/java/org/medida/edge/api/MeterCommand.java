package org.medida.edge.api;

import java.time.Instant;

/** Actions on a meter. */
public sealed interface MeterCommand {

    /** Open the relay: disconnect control 0.0.96.3.10.255, method remote_disconnect. */
    record Disconnect() implements MeterCommand {
    }

    /** Close the relay: disconnect control 0.0.96.3.10.255, method remote_reconnect. */
    record Reconnect() implements MeterCommand {
    }

    /** Limit active power: limiter 0.0.17.0.0.255, normal threshold in watts. */
    record SetPowerLimit(long thresholdWatts) implements MeterCommand {
        public SetPowerLimit {
            if (thresholdWatts <= 0) {
                throw new IllegalArgumentException("power limit must be positive: " + thresholdWatts);
            }
        }
    }

    /** Remove the power limit. */
    record ClearPowerLimit() implements MeterCommand {
    }

    /** Set the meter clock to an absolute time. */
    record SetClock(Instant time) implements MeterCommand {
    }

    /** Shift the meter clock by a few seconds (clock method shift_time), which keeps profile intervals aligned. */
    record ShiftClock(int seconds) implements MeterCommand {
        public ShiftClock {
            if (seconds < -900 || seconds > 900) {
                throw new IllegalArgumentException("shift_time takes -900..900 s, got " + seconds);
            }
        }
    }
}

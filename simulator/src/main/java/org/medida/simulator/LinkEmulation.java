package org.medida.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the path between a client and a meter does to the conversation, so that PLC and RF links can be emulated:
 * a delay before every response APDU (latency plus a uniformly drawn jitter), a probability that a response is lost,
 * windows in which the meter is unreachable (connections are accepted but nothing is ever answered) and windows in
 * which the meter is powered off (no answer either, and the meter itself records a power failure: gaps in its
 * profiles, a power-failure log entry, power down/up events). Windows are in meter time.
 */
public record LinkEmulation(Duration latency, Duration jitter, double loss, List<TimeWindow> unreachable,
        List<TimeWindow> poweredOff) {

    public static final LinkEmulation NONE = new LinkEmulation(Duration.ZERO, Duration.ZERO, 0, List.of(), List.of());

    public LinkEmulation {
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(jitter, "jitter");
        if (latency.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("latency and jitter must not be negative");
        }
        if (loss < 0 || loss >= 1) {
            throw new IllegalArgumentException("loss must be in [0, 1): " + loss);
        }
        unreachable = List.copyOf(unreachable);
        poweredOff = List.copyOf(poweredOff);
    }

    public LinkEmulation withLatency(Duration latency, Duration jitter) {
        return new LinkEmulation(latency, jitter, loss, unreachable, poweredOff);
    }

    public LinkEmulation withLoss(double loss) {
        return new LinkEmulation(latency, jitter, loss, unreachable, poweredOff);
    }

    public LinkEmulation withUnreachable(List<TimeWindow> windows) {
        return new LinkEmulation(latency, jitter, loss, windows, poweredOff);
    }

    public LinkEmulation withPoweredOff(List<TimeWindow> windows) {
        return new LinkEmulation(latency, jitter, loss, unreachable, windows);
    }

    /** Whether the meter answers at meter time {@code t}. */
    public boolean answersAt(Instant t) {
        return unreachable.stream().noneMatch(w -> w.contains(t)) && !poweredOffAt(t);
    }

    public boolean poweredOffAt(Instant t) {
        return poweredOff.stream().anyMatch(w -> w.contains(t));
    }
}

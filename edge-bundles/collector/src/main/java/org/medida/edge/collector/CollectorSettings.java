package org.medida.edge.collector;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

import org.medida.edge.tasks.ClockPolicy;

/**
 * What the collector reads and when. A zero period switches a job off (instantaneous values, clock checks).
 *
 * @param profiles             load profiles read incrementally (OBIS of each profile generic)
 * @param profileEvery         how often each meter's profiles are brought up to date
 * @param chunkEntries         how many profile entries one conversation reads at most
 * @param profileBufferEntries how deep a meter's profile buffer is: entries older than that are gone from the meter,
 *                             so reading starts no earlier
 * @param initialBackfill      how far back a meter is read the first time (no high-water mark yet)
 * @param billingTime          when, after midnight, the daily billing closure is read
 * @param billingZone          the zone of the billing day
 * @param eventsEvery          how often the event logs are read
 * @param instantaneousEvery   how often power, voltage and current are read (zero: never)
 * @param clockEvery           how often meter clocks are checked (zero: never)
 * @param clock                what to do about a meter clock's deviation
 * @param parallelMeters       how many meters are worked on at the same time
 */
public record CollectorSettings(List<String> profiles, Duration profileEvery, int chunkEntries,
        int profileBufferEntries, Duration initialBackfill, LocalTime billingTime, ZoneId billingZone,
        Duration eventsEvery, Duration instantaneousEvery, Duration clockEvery, ClockPolicy clock,
        int parallelMeters) {

    /** The IDIS load profile 1 of a utility meter. */
    public static final String LOAD_PROFILE = "1.0.99.1.0.255";

    public CollectorSettings {
        profiles = List.copyOf(profiles);
        requirePositive(profileEvery, "profile period");
        requirePositive(initialBackfill, "initial backfill");
        requirePositive(eventsEvery, "events period");
        requireNotNegative(instantaneousEvery, "instantaneous period");
        requireNotNegative(clockEvery, "clock check period");
        Objects.requireNonNull(billingTime, "billingTime");
        Objects.requireNonNull(billingZone, "billingZone");
        Objects.requireNonNull(clock, "clock");
        if (chunkEntries < 1 || profileBufferEntries < 1 || parallelMeters < 1) {
            throw new IllegalArgumentException("chunk entries, buffer entries and parallel meters must be at least 1");
        }
    }

    /** Utility defaults: the 15-minute profile every 15 minutes, billing at 00:10 UTC, events hourly. */
    public static CollectorSettings defaults() {
        return new CollectorSettings(List.of(LOAD_PROFILE), Duration.ofMinutes(15), 96, 960, Duration.ofHours(24),
                LocalTime.of(0, 10), ZoneId.of("UTC"), Duration.ofHours(1), Duration.ZERO, Duration.ofHours(1),
                ClockPolicy.defaults(), 8);
    }

    public CollectorSettings withProfileEvery(Duration every) {
        return new CollectorSettings(profiles, every, chunkEntries, profileBufferEntries, initialBackfill,
                billingTime, billingZone, eventsEvery, instantaneousEvery, clockEvery, clock, parallelMeters);
    }

    public CollectorSettings withChunks(int entries, int bufferEntries) {
        return new CollectorSettings(profiles, profileEvery, entries, bufferEntries, initialBackfill, billingTime,
                billingZone, eventsEvery, instantaneousEvery, clockEvery, clock, parallelMeters);
    }

    public CollectorSettings withInitialBackfill(Duration backfill) {
        return new CollectorSettings(profiles, profileEvery, chunkEntries, profileBufferEntries, backfill,
                billingTime, billingZone, eventsEvery, instantaneousEvery, clockEvery, clock, parallelMeters);
    }

    public CollectorSettings withClock(Duration every, ClockPolicy policy) {
        return new CollectorSettings(profiles, profileEvery, chunkEntries, profileBufferEntries, initialBackfill,
                billingTime, billingZone, eventsEvery, instantaneousEvery, every, policy, parallelMeters);
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive: " + d);
        }
    }

    private static void requireNotNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("the " + what + " must not be negative: " + d);
        }
    }
}

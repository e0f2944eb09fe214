package org.medida.edge.collector;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;

/** The scheduled jobs, each run for every commissioned meter, at most one run per meter and job at a time. */
enum Job {
    PROFILE, BILLING, EVENTS, INSTANTANEOUS, CLOCK;

    boolean enabled(CollectorSettings settings) {
        return switch (this) {
            case INSTANTANEOUS -> !settings.instantaneousEvery().isZero();
            case CLOCK -> !settings.clockEvery().isZero();
            default -> true;
        };
    }

    /**
     * When the job is due next after a run that ended at {@code now}: the next slot of its period, counted from the
     * epoch so that runs do not drift and a late run skips the slots it missed instead of piling them up. Billing is
     * due at the next billing time after midnight, or after a failure one profile period later.
     */
    Instant nextDue(Instant now, boolean completed, CollectorSettings settings) {
        return switch (this) {
            case PROFILE -> nextSlot(now, settings.profileEvery());
            case EVENTS -> nextSlot(now, settings.eventsEvery());
            case INSTANTANEOUS -> nextSlot(now, settings.instantaneousEvery());
            case CLOCK -> nextSlot(now, settings.clockEvery());
            case BILLING -> completed ? nextBillingTime(now, settings) : nextSlot(now, settings.profileEvery());
        };
    }

    static Instant nextSlot(Instant now, Duration every) {
        long period = every.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), period) * period + period);
    }

    static Instant nextBillingTime(Instant now, CollectorSettings settings) {
        ZonedDateTime today = now.atZone(settings.billingZone()).toLocalDate().atTime(settings.billingTime())
                .atZone(settings.billingZone());
        return today.toInstant().isAfter(now) ? today.toInstant() : today.plusDays(1).toInstant();
    }
}

package org.medida.simulator.model;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Deterministic household demand, a pure function of the meter serial and the interval start (UTC): a base load,
 * a morning peak (later at weekends), a small midday bump and a large evening peak, each scaled per household, with
 * +-15 % noise per interval. One household in four has rooftop solar whose output follows the sun between 06:00
 * and 20:00 with a per-day cloudiness; what the house does not use is exported.
 */
public final class HouseholdCurve {

    private final long seed;
    private final int baseLoadW;
    private final double morningW;
    private final double eveningW;
    private final int solarPeakW;

    public HouseholdCurve(long seed) {
        this.seed = seed;
        this.baseLoadW = 120 + (int) (unit(seed, 1, 0) * 200);
        this.morningW = 600 + unit(seed, 2, 0) * 900;
        this.eveningW = 1000 + unit(seed, 3, 0) * 1600;
        this.solarPeakW = unit(seed, 4, 0) < 0.25 ? 2000 + (int) (unit(seed, 5, 0) * 2000) : 0;
    }

    /** Mean active import power (W) over the interval starting at {@code intervalStart}. */
    public long importW(Instant intervalStart) {
        return Math.max(0, netW(intervalStart));
    }

    /** Mean active export power (W) over the interval starting at {@code intervalStart}. */
    public long exportW(Instant intervalStart) {
        return Math.max(0, -netW(intervalStart));
    }

    public boolean hasSolar() {
        return solarPeakW > 0;
    }

    private long netW(Instant start) {
        ZonedDateTime t = start.atZone(ZoneOffset.UTC);
        double hour = t.getHour() + t.getMinute() / 60.0;
        boolean weekend = t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY;
        double demand = baseLoadW
                + morningW * bell(hour, weekend ? 9.5 : 7.25, 1.0)
                + 300 * bell(hour, 13, 2.0)
                + eveningW * bell(hour, 19.5, 1.6);
        double noise = 0.85 + 0.3 * unit(seed, 6, start.getEpochSecond());
        double cloudiness = 0.5 + 0.5 * unit(seed, 7, start.getEpochSecond() / 86_400);
        double solar = hour > 6 && hour < 20 ? solarPeakW * cloudiness * Math.sin(Math.PI * (hour - 6) / 14) : 0;
        return Math.round(demand * noise - solar);
    }

    private static double bell(double x, double centre, double width) {
        double z = (x - centre) / width;
        return Math.exp(-z * z / 2);
    }

    /** A uniform number in [0, 1) determined by its three arguments (SplitMix64 finaliser). */
    static double unit(long seed, long stream, long index) {
        long z = seed ^ stream * 0x9E3779B97F4A7C15L ^ index * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}

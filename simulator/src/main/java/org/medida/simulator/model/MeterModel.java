package org.medida.simulator.model;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.medida.simulator.TimeWindow;

/**
 * What one meter measured and stores, as a deterministic function of its serial and its clock, plus the few things
 * clients change at run time (relay, limiter threshold, clock adjustments) and the powered-off windows of its link.
 * The COSEM objects read from here, and tests ask the same questions to know the expected answers.
 *
 * <p>Time is the meter's own clock. The history starts at {@link #origin()}, far enough before the epoch that the
 * load profile and the daily billing profile are full from the first second. Power is constant within a profile
 * interval ({@link HouseholdCurve}); the energy of an interval is {@code floor(power x live seconds / 3600)} Wh where
 * live seconds exclude the time the relay was open or the meter was powered off, so cumulative registers are exact
 * sums of integers and a profile entry equals the registers at its capture time.
 *
 * <p>The limiter compares the mean import power of each interval, at the interval start, with the active threshold;
 * above it the relay opens at that instant and the disconnect control becomes ready for reconnection.
 */
public final class MeterModel {

    public static final int STATUS_CLOCK_ADJUSTED = 0x20;
    public static final int STATUS_POWER_DOWN = 0x80;
    public static final int BILLING_ENTRIES = 40;
    public static final int POWER_FAILURE_ENTRIES = 10;

    private static final long DAY_SECONDS = 86_400;

    private final String serial;
    private final long seed;
    private final MeterClock clock;
    private final long periodSeconds;
    private final int profileEntries;
    private final HouseholdCurve curve;
    private final Instant origin;
    private final EnergyTotals originTotals;

    private final Map<Long, EnergyTotals> dayStartTotals = new HashMap<>();
    private List<TimeWindow> poweredOff = List.of();
    private final List<TimeWindow> relayOpenSpans = new ArrayList<>();
    private Instant relayOpenSince;
    private SupplyState supplyState = SupplyState.CONNECTED;
    private int controlMode = 1;
    private long limiterThresholdW;
    private Instant limiterCheckedUntil;
    private final List<LoggedEvent> runtimeEvents = new ArrayList<>();
    private final List<Instant> clockAdjustments = new ArrayList<>();

    public MeterModel(String serial, MeterClock clock, Duration profilePeriod, int profileEntries) {
        this.serial = serial;
        this.seed = UUID.nameUUIDFromBytes(serial.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
        this.clock = clock;
        this.periodSeconds = profilePeriod.toSeconds();
        this.profileEntries = profileEntries;
        this.curve = new HouseholdCurve(seed);
        long historyDays = Math.max((profileEntries * periodSeconds + DAY_SECONDS - 1) / DAY_SECONDS, BILLING_ENTRIES) + 1;
        this.origin = clock.epoch().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(historyDays));
        this.originTotals = initialTotals();
        this.limiterCheckedUntil = origin;
    }

    public String serial() {
        return serial;
    }

    public Instant now() {
        return clock.now();
    }

    /** The first instant of the simulated history: registers hold {@link #originTotals()} then. */
    public Instant origin() {
        return origin;
    }

    public EnergyTotals originTotals() {
        return originTotals;
    }

    public Duration profilePeriod() {
        return Duration.ofSeconds(periodSeconds);
    }

    public int profileEntries() {
        return profileEntries;
    }

    public HouseholdCurve curve() {
        return curve;
    }

    // ---- registers ----

    /** Cumulative registers at meter time {@code t} (not after now). */
    public synchronized EnergyTotals totalsAt(Instant time) {
        settle();
        Instant t = time.truncatedTo(ChronoUnit.SECONDS);
        if (!t.isAfter(origin)) {
            return originTotals;
        }
        long day = Math.floorDiv(secondsSinceOrigin(t), DAY_SECONDS);
        EnergyTotals totals = dayStart(day);
        for (long k = day * intervalsPerDay(); k <= intervalIndex(t); k++) {
            totals = plusInterval(totals, k, t);
        }
        return totals;
    }

    public EnergyTotals totals() {
        return totalsAt(now());
    }

    /** Active import power now (W): the current interval's mean, 0 while the relay is open or power is off. */
    public synchronized long instantaneousPowerW() {
        settle();
        Instant now = now();
        return supplied(now) ? curve.importW(intervalStart(intervalIndex(now))) : 0;
    }

    /** L1 voltage now in 0.1 V: 230 V +- 6 V, varying per minute. */
    public long voltageDeciVolt() {
        return 2300 + Math.round((HouseholdCurve.unit(seed, 8, now().getEpochSecond() / 60) - 0.5) * 120);
    }

    /** L1 current now in 0.01 A, from power and voltage. */
    public long currentCentiAmpere() {
        return instantaneousPowerW() * 1000 / voltageDeciVolt();
    }

    /** AMR profile status of the interval in progress. */
    public synchronized int amrStatus() {
        Instant now = now();
        return statusOver(now.minusSeconds(periodSeconds), now);
    }

    /** Maximum mean import demand over the completed intervals of the current month. */
    public synchronized MaxDemand maxDemand() {
        settle();
        Instant now = now();
        ZonedDateTime month = now.atZone(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
        Instant from = month.toInstant().isBefore(origin) ? origin : month.toInstant();
        MaxDemand max = new MaxDemand(0, from);
        for (long k = intervalIndex(from); intervalStart(k + 1).compareTo(now) <= 0; k++) {
            long demandW = intervalImportWh(k, intervalStart(k + 1)) * 3600 / periodSeconds;
            if (demandW > max.demandW()) {
                max = new MaxDemand(demandW, intervalStart(k + 1));
            }
        }
        return max;
    }

    // ---- profiles ----

    /** The load profile buffer now: the last {@code profileEntries} captures, oldest first. */
    public synchronized List<ProfileEntry> loadProfile() {
        settle();
        Instant now = now();
        List<Long> captured = new ArrayList<>();
        for (long j = Math.floorDiv(secondsSinceOrigin(now), periodSeconds); j >= 1 && captured.size() < profileEntries; j--) {
            if (!poweredOffAt(intervalStart(j))) {
                captured.add(j);
            }
        }
        Collections.reverse(captured);
        List<ProfileEntry> entries = new ArrayList<>(captured.size());
        if (captured.isEmpty()) {
            return entries;
        }
        long j = captured.get(0);
        EnergyTotals totals = totalsAt(intervalStart(j));
        for (long next : captured) {
            for (; j < next; j++) {
                totals = plusInterval(totals, j, intervalStart(j + 1));
            }
            entries.add(entryAt(intervalStart(next), totals));
        }
        return entries;
    }

    /** The profile row a capture at {@code captureTime} (a period boundary) holds, whether or not it is buffered. */
    public synchronized ProfileEntry profileEntryAt(Instant captureTime) {
        return entryAt(captureTime, totalsAt(captureTime));
    }

    /** The daily billing buffer now: midnight captures, oldest first. */
    public synchronized List<BillingEntry> dailyBilling() {
        settle();
        Instant now = now();
        List<BillingEntry> rows = new ArrayList<>();
        for (long d = Math.floorDiv(secondsSinceOrigin(now), DAY_SECONDS); d >= 1 && rows.size() < BILLING_ENTRIES; d--) {
            Instant midnight = origin.plusSeconds(d * DAY_SECONDS);
            if (!poweredOffAt(midnight)) {
                rows.add(new BillingEntry(midnight, statusOver(midnight.minusSeconds(DAY_SECONDS), midnight),
                        totalsAt(midnight)));
            }
        }
        Collections.reverse(rows);
        return rows;
    }

    /** The events a log holds now, oldest first, at most {@link EventLog#CAPACITY}. */
    public synchronized List<LoggedEvent> events(EventLog log) {
        settle();
        Instant now = now();
        List<LoggedEvent> all = new ArrayList<>(generatedEvents(log, now));
        // run-time events have happened even when a backward clock shift stamped them "later" than now
        runtimeEvents.stream().filter(e -> e.log() == log).forEach(all::add);
        all.sort(Comparator.comparing(LoggedEvent::time));
        return List.copyOf(all.subList(Math.max(0, all.size() - EventLog.CAPACITY), all.size()));
    }

    /** The power-failure log now, oldest first. */
    public synchronized List<PowerFailure> powerFailures() {
        Instant now = now();
        List<PowerFailure> failures = poweredOff.stream()
                .filter(w -> !w.to().isAfter(now) && !w.from().isBefore(origin))
                .sorted(Comparator.comparing(TimeWindow::to))
                .map(w -> new PowerFailure(w.from(), w.length()))
                .toList();
        return failures.subList(Math.max(0, failures.size() - POWER_FAILURE_ENTRIES), failures.size());
    }

    // ---- disconnector and limiter ----

    public synchronized boolean relayClosed() {
        settle();
        return relayOpenSince == null;
    }

    public synchronized SupplyState supplyState() {
        settle();
        return supplyState;
    }

    public synchronized int controlMode() {
        return controlMode;
    }

    public synchronized void setControlMode(int mode) {
        if (mode < 0 || mode > 6) {
            throw new IllegalArgumentException("control mode must be 0..6: " + mode);
        }
        controlMode = mode;
    }

    /** Opens the relay now; false when the control mode forbids remote disconnection (mode 0). */
    public synchronized boolean remoteDisconnect() {
        settle();
        if (controlMode == 0) {
            return false;
        }
        Instant now = nowToTheSecond();
        if (relayOpenSince == null) {
            relayOpenSince = now;
        }
        if (supplyState != SupplyState.DISCONNECTED) {
            supplyState = SupplyState.DISCONNECTED;
            runtimeEvents.add(new LoggedEvent(EventLog.DISCONNECTOR, now, EventCodes.REMOTE_DISCONNECT));
        }
        return true;
    }

    /** Closes the relay now; false when the control mode forbids remote reconnection (mode 0). */
    public synchronized boolean remoteReconnect() {
        settle();
        if (controlMode == 0) {
            return false;
        }
        Instant now = nowToTheSecond();
        if (relayOpenSince != null) {
            relayOpenSpans.add(new TimeWindow(relayOpenSince, now));
            relayOpenSince = null;
            limiterCheckedUntil = now;
        }
        if (supplyState != SupplyState.CONNECTED) {
            supplyState = SupplyState.CONNECTED;
            runtimeEvents.add(new LoggedEvent(EventLog.DISCONNECTOR, now, EventCodes.REMOTE_RECONNECT));
        }
        return true;
    }

    /** Active limiter threshold in W; 0 means no limit. */
    public synchronized long limiterThresholdW() {
        return limiterThresholdW;
    }

    public synchronized void setLimiterThresholdW(long thresholdW) {
        settle();
        if (thresholdW < 0) {
            throw new IllegalArgumentException("threshold must not be negative");
        }
        Instant now = now();
        limiterThresholdW = thresholdW;
        limiterCheckedUntil = now;
        runtimeEvents.add(new LoggedEvent(EventLog.DISCONNECTOR, now, EventCodes.LIMITER_THRESHOLD_CHANGED));
    }

    // ---- clock, link, security ----

    /** Moves the clock by {@code delta} (set time and shift_time both land here), logging events 4 and 5. */
    public synchronized void adjustClock(Duration delta) {
        settle();
        Instant before = clock.shift(delta);
        Instant after = before.plus(delta);
        runtimeEvents.add(new LoggedEvent(EventLog.STANDARD, before, EventCodes.CLOCK_ADJUSTED_OLD_TIME));
        runtimeEvents.add(new LoggedEvent(EventLog.STANDARD, after, EventCodes.CLOCK_ADJUSTED_NEW_TIME));
        clockAdjustments.add(after);
    }

    public synchronized void setPoweredOff(List<TimeWindow> windows) {
        settle();
        poweredOff = List.copyOf(windows);
        dayStartTotals.clear();
    }

    public synchronized boolean poweredOffAt(Instant t) {
        return poweredOff.stream().anyMatch(w -> w.contains(t));
    }

    /** A ciphered APDU arrived with an invocation counter already used: fraud event 50. */
    public synchronized void recordReplayAttack() {
        runtimeEvents.add(new LoggedEvent(EventLog.FRAUD, now(), EventCodes.REPLAY_ATTACK));
    }

    // ---- internals ----

    /** Registers count whole seconds, so state changes happen on a second boundary. */
    private Instant nowToTheSecond() {
        return now().truncatedTo(ChronoUnit.SECONDS);
    }

    private EnergyTotals initialTotals() {
        long importWh = 2_000_000 + (long) (HouseholdCurve.unit(seed, 10, 0) * 8_000_000);
        long night = importWh * 40 / 100;
        long weekday = importWh * 45 / 100;
        long[] tariffs = {night, weekday, importWh - night - weekday, 0, 0, 0};
        long exportWh = curve.hasSolar() ? 300_000 + (long) (HouseholdCurve.unit(seed, 11, 0) * 1_000_000) : 0;
        return new EnergyTotals(importWh, tariffs, exportWh, importWh * 31 / 100, exportWh * 8 / 100);
    }

    /** Applies the limiter to every interval that started since the last look. */
    private void settle() {
        Instant now = now();
        if (limiterThresholdW > 0 && relayOpenSince == null) {
            long k = Math.floorDiv(secondsSinceOrigin(limiterCheckedUntil), periodSeconds) + 1;
            for (; intervalStart(k).compareTo(now) <= 0; k++) {
                Instant start = intervalStart(k);
                if (!poweredOffAt(start) && curve.importW(start) > limiterThresholdW) {
                    relayOpenSince = start;
                    supplyState = SupplyState.READY_FOR_RECONNECTION;
                    runtimeEvents.add(new LoggedEvent(EventLog.DISCONNECTOR, start, EventCodes.LIMITER_THRESHOLD_EXCEEDED));
                    break;
                }
            }
        }
        if (now.isAfter(limiterCheckedUntil)) {
            limiterCheckedUntil = now;
        }
    }

    private EnergyTotals dayStart(long day) {
        if (day <= 0) {
            return originTotals;
        }
        EnergyTotals cached = dayStartTotals.get(day);
        if (cached != null) {
            return cached;
        }
        long d = day - 1;
        while (d > 0 && !dayStartTotals.containsKey(d)) {
            d--;
        }
        EnergyTotals totals = dayStart(d);
        Instant now = now();
        for (; d < day; d++) {
            Instant dayEnd = origin.plusSeconds((d + 1) * DAY_SECONDS);
            for (long k = d * intervalsPerDay(); k < (d + 1) * intervalsPerDay(); k++) {
                totals = plusInterval(totals, k, dayEnd);
            }
            if (!dayEnd.isAfter(now)) {
                dayStartTotals.put(d + 1, totals);
            }
        }
        return totals;
    }

    /** {@code totals} plus what interval {@code k} contributed up to {@code until}. */
    private EnergyTotals plusInterval(EnergyTotals totals, long k, Instant until) {
        Instant start = intervalStart(k);
        Instant end = earlier(intervalStart(k + 1), until);
        if (!end.isAfter(start)) {
            return totals;
        }
        long live = liveSeconds(start, end);
        return totals.plus(curve.importW(start) * live / 3600, tariffOf(start), curve.exportW(start) * live / 3600);
    }

    private long intervalImportWh(long k, Instant until) {
        Instant start = intervalStart(k);
        return curve.importW(start) * liveSeconds(start, earlier(intervalStart(k + 1), until)) / 3600;
    }

    /** Seconds of [start, end) with the relay closed and the meter powered. */
    private long liveSeconds(Instant start, Instant end) {
        List<TimeWindow> dead = new ArrayList<>(poweredOff);
        dead.addAll(relayOpenSpans);
        if (relayOpenSince != null) {
            dead.add(new TimeWindow(relayOpenSince, Instant.MAX));
        }
        List<TimeWindow> clipped = dead.stream()
                .filter(w -> w.overlapSeconds(start, end) > 0)
                .map(w -> new TimeWindow(later(w.from(), start), earlier(w.to(), end)))
                .sorted(Comparator.comparing(TimeWindow::from))
                .toList();
        long deadSeconds = 0;
        Instant covered = start;
        for (TimeWindow w : clipped) {
            Instant from = later(w.from(), covered);
            if (w.to().isAfter(from)) {
                deadSeconds += Duration.between(from, w.to()).toSeconds();
                covered = w.to();
            }
        }
        return Duration.between(start, end).toSeconds() - deadSeconds;
    }

    private boolean supplied(Instant t) {
        return relayOpenSince == null && !poweredOffAt(t);
    }

    private ProfileEntry entryAt(Instant captureTime, EnergyTotals totals) {
        return new ProfileEntry(captureTime, statusOver(captureTime.minusSeconds(periodSeconds), captureTime),
                totals.importWh(), totals.exportWh());
    }

    /** AMR status bits for what happened in (from, to]. */
    private int statusOver(Instant from, Instant to) {
        int status = 0;
        if (poweredOff.stream().anyMatch(w -> w.from().isBefore(to) && w.to().isAfter(from))) {
            status |= STATUS_POWER_DOWN;
        }
        if (clockAdjustments.stream().anyMatch(t -> t.isAfter(from) && !t.isAfter(to))) {
            status |= STATUS_CLOCK_ADJUSTED;
        }
        return status;
    }

    /** Events that follow from the serial and the power-off windows (run-time ones are added by the caller). */
    private List<LoggedEvent> generatedEvents(EventLog log, Instant now) {
        List<LoggedEvent> events = new ArrayList<>();
        switch (log) {
            case STANDARD -> poweredOff.stream().filter(w -> !w.from().isBefore(origin)).forEach(w -> {
                events.add(new LoggedEvent(log, w.from(), EventCodes.POWER_DOWN));
                events.add(new LoggedEvent(log, w.to(), EventCodes.POWER_UP));
            });
            case FRAUD -> dailyPair(log, 3, 0.03, EventCodes.TERMINAL_COVER_REMOVED, EventCodes.TERMINAL_COVER_CLOSED,
                    600, events, now);
            case POWER_QUALITY -> dailyPair(log, 1, 0.2, EventCodes.UNDERVOLTAGE_L1, EventCodes.VOLTAGE_NORMAL_L1, 180,
                    events, now);
            case DISCONNECTOR -> { }
        }
        events.removeIf(e -> e.time().isAfter(now));
        return events;
    }

    /** On a day chosen with {@code probability}, an event at a random second and its counterpart later. */
    private void dailyPair(EventLog log, long stream, double probability, int code, int endCode, long afterSeconds,
            List<LoggedEvent> events, Instant now) {
        long days = Math.floorDiv(secondsSinceOrigin(now), DAY_SECONDS);
        for (long d = 0; d <= days; d++) {
            if (HouseholdCurve.unit(seed, stream, d) < probability) {
                Instant at = origin.plusSeconds(d * DAY_SECONDS
                        + (long) (HouseholdCurve.unit(seed, stream + 100, d) * (DAY_SECONDS - afterSeconds)));
                events.add(new LoggedEvent(log, at, code));
                events.add(new LoggedEvent(log, at.plusSeconds(afterSeconds), endCode));
            }
        }
    }

    private static int tariffOf(Instant intervalStart) {
        ZonedDateTime t = intervalStart.atZone(ZoneOffset.UTC);
        if (t.getHour() >= 22 || t.getHour() < 7) {
            return 1;
        }
        return t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY ? 3 : 2;
    }

    private long intervalsPerDay() {
        return DAY_SECONDS / periodSeconds;
    }

    private long intervalIndex(Instant t) {
        return Math.floorDiv(secondsSinceOrigin(t), periodSeconds);
    }

    private Instant intervalStart(long k) {
        return origin.plusSeconds(k * periodSeconds);
    }

    private long secondsSinceOrigin(Instant t) {
        return Duration.between(origin, t).toSeconds();
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}

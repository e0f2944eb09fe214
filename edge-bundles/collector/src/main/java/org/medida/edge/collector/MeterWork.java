package org.medida.edge.collector;

import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.medida.edge.api.AppendResult;
import org.medida.edge.api.ClockReading;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.InventoryMeter;
import org.medida.edge.api.MeterAccessException;
import org.medida.edge.api.MeterConversation;
import org.medida.edge.api.MeterDriver;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.MeterInventory;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSession;
import org.medida.edge.api.Priority;
import org.medida.edge.api.ProfileGap;
import org.medida.edge.api.ReadingStore;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.tasks.ClockPolicy;
import org.medida.edge.tasks.TaskRunner;

/**
 * The scheduled work on one meter, each job a few conversations through the driver: what is read goes to the store,
 * and a high-water mark moves only after the store took everything up to it. Every attempt updates the meter's
 * reachability. Each method returns whether the job completed (a failed job is tried again at its next turn).
 */
final class MeterWork {

    private static final System.Logger LOG = System.getLogger(MeterWork.class.getName());

    /** The daily billing profile: its 00:00 row of day D+1 is the closure of day D. */
    static final String DAILY_BILLING = "0.0.98.2.0.255";
    /** The capture period assumed for a profile until its first read tells the real one. */
    private static final Duration ASSUMED_PERIOD = Duration.ofMinutes(15);

    private final MeterDriver driver;
    private final ReadingStore store;
    private final MeterInventory inventory;
    private final CollectorSettings settings;
    private final Clock clock;
    private final ClockAlarm alarm;
    /** Capture periods learnt from the meters, by serial and profile. */
    private final Map<String, Duration> periods = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    MeterWork(MeterDriver driver, ReadingStore store, MeterInventory inventory, CollectorSettings settings,
            Clock clock, ClockAlarm alarm) {
        this.driver = driver;
        this.store = store;
        this.inventory = inventory;
        this.settings = settings;
        this.clock = clock;
        this.alarm = alarm;
    }

    /** Long jobs end after their current conversation. */
    void stop() {
        stopped = true;
    }

    /** One conversation at {@code priority}; the meter's reachability is updated with its outcome. */
    <T> DriverResult<T> talk(MeterRef meter, Priority priority, MeterConversation<T> conversation) {
        DriverResult<T> result;
        try {
            result = driver.submit(meter, priority, conversation).toCompletableFuture().join();
        } catch (CompletionException e) {
            // the driver promises a normal completion; should it break that, the attempt still counts as failed
            result = DriverResult.failed(FailureKind.METER_ERROR, "the driver failed: " + e.getCause());
        }
        recordAttempt(meter.serial(), result);
        return result;
    }

    void recordAttempt(String serial, DriverResult<?> result) {
        try {
            if (result instanceof DriverResult.Failed<?> failed) {
                inventory.recordFailure(serial, clock.instant(), failed.failure());
            } else {
                inventory.recordSuccess(serial, clock.instant());
            }
        } catch (IllegalArgumentException e) {
            // the meter left the inventory while it was being read: nothing to record
        }
    }

    // ---- load profile ----

    /** Brings every configured profile of the meter up to date. */
    boolean collectProfiles(InventoryMeter meter) {
        boolean complete = true;
        for (String profile : settings.profiles()) {
            complete &= collectProfile(meter.meter(), profile, meter.highWaterMark(profile).orElse(null));
        }
        return complete;
    }

    /** What one chunk read: the entries in (start, end] and the meter's time when it was read. */
    private record Chunk(Instant meterNow, Instant end, IntervalBlock block) {
    }

    /**
     * Reads the profile from its mark to the meter's now in chunks, half-open (last collected, end]. The mark moves
     * to the last entry the store took; a chunk without entries moves only the read position, because a meter that
     * is off now simply has no entries yet: a gap is recorded only once a later entry proves it.
     */
    private boolean collectProfile(MeterRef meter, String profile, Instant initialMark) {
        String key = meter.serial() + " " + profile;
        Instant mark = initialMark;
        Instant readFrom = mark;
        while (true) {
            Instant cursor = readFrom;
            Duration period = periods.getOrDefault(key, ASSUMED_PERIOD);
            DriverResult<Chunk> result = talk(meter, Priority.NORMAL, session -> {
                Instant meterNow = session.readClock().meterTime();
                Instant oldestKept = meterNow.minus(period.multipliedBy(settings.profileBufferEntries()));
                Instant start = cursor == null ? meterNow.minus(settings.initialBackfill()) : cursor;
                if (start.isBefore(oldestKept)) {
                    start = oldestKept;
                }
                Instant end = start.plus(period.multipliedBy(settings.chunkEntries()));
                if (end.isAfter(meterNow)) {
                    end = meterNow;
                }
                if (!end.isAfter(start)) {
                    return new Chunk(meterNow, end, null);
                }
                return new Chunk(meterNow, end, session.readProfile(profile, start.plusSeconds(1), end));
            });
            if (!(result instanceof DriverResult.Success<Chunk> success)) {
                return false;
            }
            Chunk chunk = success.value();
            if (chunk.block() != null) {
                if (!chunk.block().capturePeriod().isZero()) {
                    // a profile without a period (captured on events) keeps the assumed one for its chunks
                    periods.put(key, chunk.block().capturePeriod());
                }
                Instant collected = mark;
                List<Interval> entries = chunk.block().intervals().stream()
                        .filter(e -> collected == null || e.end().isAfter(collected)).toList();
                if (!entries.isEmpty()) {
                    if (!store(chunk.block(), entries, mark)) {
                        return false;
                    }
                    mark = entries.get(entries.size() - 1).end();
                    inventory.moveHighWaterMark(meter.serial(), profile, mark);
                }
            }
            if (stopped) {
                return false;
            }
            if (!chunk.end().isBefore(chunk.meterNow())) {
                return true;
            }
            readFrom = chunk.end();
        }
    }

    /** Appends the entries and the gaps before and between them; false if the store refused the entries. */
    private boolean store(IntervalBlock read, List<Interval> entries, Instant mark) {
        IntervalBlock block = new IntervalBlock(read.serial(), read.profileObis(), read.capturePeriod(),
                read.channels(), entries);
        AppendResult appended = store.appendIntervals(block);
        if (appended.outcome() == AppendResult.Outcome.REFUSED_STORE_FULL) {
            LOG.log(Level.WARNING, "the store is full: {0} entries of {1} {2} stay on the meter, read again later",
                    entries.size(), read.serial(), read.profileObis());
            return false;
        }
        for (ProfileGap gap : gaps(block, mark)) {
            store.appendGap(gap);
        }
        return true;
    }

    /**
     * Runs of interval ends the meter has no entries for: between the mark and the first entry, and between
     * consecutive entries. Nothing after the last entry: the meter may just not have captured it yet.
     */
    static List<ProfileGap> gaps(IntervalBlock block, Instant mark) {
        Duration period = block.capturePeriod();
        List<ProfileGap> gaps = new ArrayList<>();
        if (period.isZero()) {
            return gaps;
        }
        Instant previous = mark;
        for (Interval entry : block.intervals()) {
            if (previous != null && !entry.end().isBefore(previous.plus(period.multipliedBy(2)))) {
                gaps.add(new ProfileGap(block.serial(), block.profileObis(), previous.plus(period),
                        entry.end().minus(period)));
            }
            previous = entry.end();
        }
        return gaps;
    }

    // ---- daily billing ----

    /** Reads the billing rows after the mark and stores them as registers with the row's time as capture time. */
    boolean collectBilling(InventoryMeter meter) {
        Instant mark = meter.highWaterMark(DAILY_BILLING).orElse(null);
        DriverResult<IntervalBlock> result = talk(meter.meter(), Priority.NORMAL, session -> {
            Instant meterNow = session.readClock().meterTime();
            Instant from = mark == null ? meterNow.minus(settings.initialBackfill()) : mark.plusSeconds(1);
            return session.readProfile(DAILY_BILLING, from, meterNow);
        });
        if (!(result instanceof DriverResult.Success<IntervalBlock> success)) {
            return false;
        }
        IntervalBlock rows = success.value();
        if (rows.intervals().isEmpty()) {
            return true;
        }
        store.appendRegisters(meter.serial(), closures(rows, clock.instant()));
        inventory.moveHighWaterMark(meter.serial(), DAILY_BILLING,
                rows.intervals().get(rows.intervals().size() - 1).end());
        return true;
    }

    /** Every column of every billing row as a register captured at the row's time. */
    static List<RegisterReading> closures(IntervalBlock rows, Instant readAt) {
        List<RegisterReading> readings = new ArrayList<>();
        for (Interval row : rows.intervals()) {
            for (int c = 0; c < rows.channels().size(); c++) {
                BigDecimal value = row.values().get(c);
                readings.add(new RegisterReading(rows.channels().get(c).obis(), value, rows.channels().get(c).unit(),
                        row.end(), readAt));
            }
        }
        return readings;
    }

    // ---- event logs ----

    /**
     * Reads every event log after its mark, up to the last second the meter's clock has completed: an event is
     * stamped to the second, so a second still running may get more events, and they are read next time instead.
     * Nothing is read twice.
     */
    boolean collectEvents(InventoryMeter meter) {
        Map<EventLog, Instant> marks = new EnumMap<>(EventLog.class);
        for (EventLog log : EventLog.values()) {
            meter.highWaterMark(log.obis()).ifPresent(mark -> marks.put(log, mark));
        }
        DriverResult<Map<EventLog, List<MeterEvent>>> result = talk(meter.meter(), Priority.NORMAL,
                session -> TaskRunner.readLogs(session, true, (log, meterNow) -> marks.containsKey(log)
                        ? marks.get(log).plusSeconds(1) : meterNow.minus(settings.initialBackfill())));
        if (!(result instanceof DriverResult.Success<Map<EventLog, List<MeterEvent>>> success)) {
            return false;
        }
        for (Map.Entry<EventLog, List<MeterEvent>> log : success.value().entrySet()) {
            List<MeterEvent> events = log.getValue();
            if (!events.isEmpty()) {
                store.appendEvents(meter.serial(), events);
                inventory.moveHighWaterMark(meter.serial(), log.getKey().obis(),
                        events.get(events.size() - 1).timestamp());
            }
        }
        return true;
    }

    // ---- instantaneous values ----

    boolean readInstantaneous(InventoryMeter meter) {
        DriverResult<List<RegisterReading>> result = talk(meter.meter(), Priority.NORMAL,
                session -> TaskRunner.successful(session.readRegisters(TaskRunner.INSTANTANEOUS)));
        if (result instanceof DriverResult.Success<List<RegisterReading>> success) {
            if (!success.value().isEmpty()) {
                store.appendRegisters(meter.serial(), success.value());
            }
            return true;
        }
        return false;
    }

    // ---- clock ----

    boolean checkClock(InventoryMeter meter) {
        return talk(meter.meter(), Priority.NORMAL, this::syncClock).isSuccess();
    }

    /** Reads the clock and applies the policy in the same association; returns what was decided. */
    ClockPolicy.Decision syncClock(MeterSession session) throws MeterAccessException {
        ClockReading reading = session.readClock();
        ClockPolicy.Decision decision = settings.clock().correct(session, reading, clock.instant());
        if (decision instanceof ClockPolicy.Decision.Alarm) {
            alarm.raise(session.meter().serial(), reading);
        }
        if (!(decision instanceof ClockPolicy.Decision.LeaveAlone)) {
            LOG.log(Level.INFO, "clock of {0} deviates by {1}: {2}", session.meter().serial(), reading.deviation(),
                    decision);
        }
        return decision;
    }
}

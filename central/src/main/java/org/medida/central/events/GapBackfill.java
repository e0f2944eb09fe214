package org.medida.central.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.medida.central.db.Database;
import org.medida.central.workorders.RetryPolicy;
import org.medida.central.workorders.WorkOrder;
import org.medida.central.workorders.WorkOrderRequest;
import org.medida.central.workorders.WorkOrders;
import org.medida.edge.api.Priority;
import org.medida.edge.api.TaskKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gap watcher: every {@link Settings#checkEvery} it looks at each commissioned meter's {@link MissingIntervals
 * missing intervals}. Missing intervals the meter still holds (younger than its profile buffer depth) are ordered
 * back with one READ_PROFILE work order (origin {@code gap-backfill}, look-back from the earliest one to now),
 * at most one outstanding per meter, and not again for the same gap until the previous order has ended; after
 * {@link Settings#ordersPerGap} orders that did not fill it, the gap is recorded as not filled and left alone.
 * Intervals the gateway reported the meter has no entries for are never ordered. A day whose missing intervals
 * have aged out of the buffer is recorded as an unrecoverable gap event.
 */
public final class GapBackfill implements AutoCloseable {

    /**
     * @param bufferDepth  how far back a meter's load profile reaches (IDIS meters keep about 40 days of 15 minutes)
     * @param grace        how long after its end an interval may still be on its way
     * @param checkEvery   how often the watcher looks
     * @param ordersPerGap backfill orders for one gap before it is given up
     */
    public record Settings(Duration bufferDepth, Duration grace, Duration checkEvery, int ordersPerGap) {
        public static final Settings DEFAULTS = new Settings(Duration.ofDays(40), MissingIntervals.DEFAULT_GRACE,
                Duration.ofMinutes(15), 3);

        public Settings {
            Objects.requireNonNull(bufferDepth, "bufferDepth");
            Objects.requireNonNull(grace, "grace");
            Objects.requireNonNull(checkEvery, "checkEvery");
            if (bufferDepth.isNegative() || bufferDepth.isZero() || grace.isNegative() || checkEvery.isNegative()
                    || checkEvery.isZero() || ordersPerGap < 1) {
                throw new IllegalArgumentException("buffer depth and check period must be positive, grace not "
                        + "negative, orders per gap at least 1: " + bufferDepth + ", " + grace + ", " + checkEvery
                        + ", " + ordersPerGap);
            }
        }

        /** These settings for meters that keep {@code bufferDepth} of load profile. */
        public Settings withBufferDepth(Duration bufferDepth) {
            return new Settings(bufferDepth, grace, checkEvery, ordersPerGap);
        }
    }

    public static final String ORIGIN = "gap-backfill";

    private static final Logger LOG = LoggerFactory.getLogger(GapBackfill.class);
    /** Days that aged out of the buffer this recently are examined for unrecoverable gaps (covers missed checks). */
    private static final Duration AGED_OUT_LOOKBACK = Duration.ofDays(2);
    /** A backfill order not done by then has failed; the next check may order again. */
    private static final Duration ORDER_EXPIRY = Duration.ofHours(6);
    private static final String METERS = "SELECT meter_id, serial, state_since, state FROM meters "
            + "WHERE state = 'commissioned' ORDER BY serial";
    private static final String REPORTED_GAPS = "SELECT from_end, to_end FROM gaps WHERE meter_id = ? AND to_end > ?";
    private static final String OUTSTANDING = "SELECT serial, correlation_id FROM work_orders "
            + "WHERE origin = '" + ORIGIN + "' AND state IN ('PENDING', 'SENT')";

    private final Database database;
    private final WorkOrders workOrders;
    private final Clock clock;
    private final Settings settings;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "central-gap-backfill"));
    /** The last backfill ordered per meter; read from work_orders at the first check, so a restart orders no twin. */
    private final Map<String, Backfill> backfills = new HashMap<>();
    private boolean outstandingLoaded;

    /** A backfill order and the gap (its first missing interval) it was for; {@code orders} for that same gap. */
    private record Backfill(String correlationId, Instant gapStart, int orders) {
    }

    public GapBackfill(Database database, WorkOrders workOrders, Clock clock, Settings settings) {
        this.database = database;
        this.workOrders = workOrders;
        this.clock = clock;
        this.settings = settings;
    }

    /** Checks every {@link Settings#checkEvery}, the first time one period after now. */
    public void start() {
        long every = settings.checkEvery().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (SQLException | RuntimeException e) {
                LOG.error("Gap check failed: {}", e.getMessage(), e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Looks at every commissioned meter once; returns how many backfill orders it submitted. */
    public synchronized int check() throws SQLException {
        Instant now = clock.instant();
        Instant horizon = now.minus(settings.bufferDepth());
        int ordered = 0;
        try (Connection connection = database.connect()) {
            loadOutstanding(connection);
            for (MissingIntervals.MeterProfile meter : commissionedMeters(connection)) {
                List<Instant> missing = MissingIntervals.missing(connection, meter,
                        horizon.minus(AGED_OUT_LOOKBACK).truncatedTo(ChronoUnit.DAYS), now.minus(settings.grace()));
                List<Instant> recoverable = new ArrayList<>();
                Map<LocalDate, Integer> agedOut = new TreeMap<>();
                List<long[]> reported = reportedGaps(connection, meter, horizon);
                for (Instant end : missing) {
                    if (!end.isAfter(horizon)) {
                        agedOut.merge(MissingIntervals.dayOf(end), 1, Integer::sum);
                    } else if (!within(reported, end)) {
                        recoverable.add(end);
                    }
                }
                recordAgedOut(connection, meter, agedOut, MissingIntervals.dayOf(horizon), now);
                if (!recoverable.isEmpty() && order(connection, meter, recoverable, now)) {
                    ordered++;
                }
            }
        }
        return ordered;
    }

    private List<MissingIntervals.MeterProfile> commissionedMeters(Connection connection) throws SQLException {
        List<MissingIntervals.MeterProfile> meters = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(METERS)) {
            while (rows.next()) {
                meters.add(MissingIntervals.profile(connection, rows.getLong(1), rows.getString(2),
                        MissingIntervals.commissionedAt(rows)));
            }
        }
        return meters;
    }

    /** Orders a backfill of {@code missing} unless one is outstanding or this gap was ordered enough already. */
    private boolean order(Connection connection, MissingIntervals.MeterProfile meter, List<Instant> missing,
            Instant now) throws SQLException {
        Instant gapStart = missing.get(0);
        Backfill previous = backfills.get(meter.serial());
        if (previous != null && !hasEnded(previous)) {
            return false;
        }
        int orders = previous != null && previous.gapStart().equals(gapStart) ? previous.orders() : 0;
        if (orders >= settings.ordersPerGap()) {
            inTransaction(connection, () -> CentralEvents.record(connection, EventType.GAP_NOT_FILLED.event(
                    meter.serial(), null, gapStart, missing.size() + " intervals missing from " + gapStart + " after "
                            + orders + " backfill reads", "gap_unfilled:" + meter.serial() + ":"
                            + gapStart.toEpochMilli()), now));
            return false;
        }
        Instant readFrom = gapStart.minus(meter.period());
        long lookBack = Math.min(Duration.between(readFrom, now).toSeconds(), settings.bufferDepth().toSeconds());
        WorkOrder order = workOrders.submit(new WorkOrderRequest(meter.serial(), TaskKind.READ_PROFILE, lookBack,
                Priority.NORMAL, now, now.plus(ORDER_EXPIRY), RetryPolicy.ONCE, ORIGIN, null));
        backfills.put(meter.serial(), new Backfill(order.correlationId(), gapStart, orders + 1));
        LOG.info("Backfill {} of {}: {} intervals missing from {}, reading {} s back ({})", order.correlationId(),
                meter.serial(), missing.size(), gapStart, lookBack, order.state());
        return true;
    }

    private boolean hasEnded(Backfill backfill) throws SQLException {
        return workOrders.find(backfill.correlationId()).map(order -> order.state().isFinal()).orElse(true);
    }

    /** Records one unrecoverable-gap event per day of missing intervals that lies wholly beyond the buffer. */
    private void recordAgedOut(Connection connection, MissingIntervals.MeterProfile meter,
            Map<LocalDate, Integer> agedOut, LocalDate horizonDay, Instant now) throws SQLException {
        List<CentralEvent> events = new ArrayList<>();
        agedOut.forEach((day, count) -> {
            if (day.isBefore(horizonDay)) {
                events.add(EventType.UNRECOVERABLE_GAP.event(meter.serial(), null,
                        day.atStartOfDay(ZoneOffset.UTC).toInstant(), count + " intervals of " + day
                                + " missing and no longer in the meter's " + settings.bufferDepth().toDays()
                                + "-day profile buffer", "gap_lost:" + meter.serial() + ":" + day));
            }
        });
        if (!events.isEmpty()) {
            inTransaction(connection, () -> CentralEvents.recordAll(connection, events, now));
        }
    }

    private static List<long[]> reportedGaps(Connection connection, MissingIntervals.MeterProfile meter,
            Instant after) throws SQLException {
        List<long[]> gaps = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(REPORTED_GAPS)) {
            select.setLong(1, meter.meterId());
            select.setLong(2, after.toEpochMilli());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    gaps.add(new long[] {rows.getLong(1), rows.getLong(2)});
                }
            }
        }
        return gaps;
    }

    private static boolean within(List<long[]> gaps, Instant end) {
        long at = end.toEpochMilli();
        return gaps.stream().anyMatch(gap -> gap[0] <= at && at <= gap[1]);
    }

    private void loadOutstanding(Connection connection) throws SQLException {
        if (outstandingLoaded) {
            return;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(OUTSTANDING)) {
            while (rows.next()) {
                backfills.put(rows.getString(1), new Backfill(rows.getString(2), Instant.EPOCH, 1));
            }
        }
        outstandingLoaded = true;
    }

    private interface Work {
        Object run() throws SQLException;
    }

    private static void inTransaction(Connection connection, Work work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

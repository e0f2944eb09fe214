package org.medida.central.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.medida.central.db.Database;
import org.medida.central.ingest.ReadingType;
import org.medida.central.web.MissingIntervalCounts;

/**
 * Which load-profile intervals central should have and does not. A meter's capture period is the finest of its
 * stored load-profile reading types (15 minutes for a meter with none yet); its intervals are expected from the
 * earliest one central knows of (the first stored, the first gap its gateway reported, or its commissioning) up to
 * now minus a grace delay (the gateway's collection and upload take time). Interval ends are aligned on the period
 * (UTC); an interval is there when any channel of the profile has a value for its end. Days are UTC: the interval
 * ending at 00:00 belongs to the day before. The gap watcher ({@link GapBackfill}), the heatmap data of the API
 * and the gateway page's heatmap (web, through {@link MissingIntervalCounts}) use this same computation.
 */
public final class MissingIntervals implements MissingIntervalCounts {

    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(15);
    public static final Duration DEFAULT_GRACE = Duration.ofHours(2);

    private static final String TYPES = "SELECT rt.reading_type_id, rt.code FROM reading_types rt WHERE EXISTS "
            + "(SELECT 1 FROM interval_values v WHERE v.meter_id = ? AND v.reading_type_id = rt.reading_type_id)";
    private static final String FIRST_END = "SELECT MIN(end_at) FROM interval_values "
            + "WHERE meter_id = ? AND reading_type_id = ?";
    private static final String FIRST_GAP = "SELECT MIN(from_end) FROM gaps WHERE meter_id = ?";
    private static final String ENDS = "SELECT end_at FROM interval_values "
            + "WHERE meter_id = ? AND reading_type_id = ? AND end_at > ? AND end_at <= ?";
    /** A decommissioned meter is expected to send nothing more. */
    private static final String GATEWAY_METERS = "SELECT meter_id, serial, state_since, state FROM meters "
            + "WHERE gateway_id = ? AND state <> 'decommissioned' ORDER BY serial";

    private final Database database;
    private final Clock clock;
    private final Duration grace;

    /** A meter's load profile as central knows it; {@code expectedFrom} is null when nothing is expected yet. */
    record MeterProfile(long meterId, String serial, Duration period, List<Long> readingTypeIds,
            Instant expectedFrom) {
    }

    public MissingIntervals(Database database, Clock clock, Duration grace) {
        this.database = database;
        this.clock = clock;
        this.grace = grace;
    }

    /**
     * For the heatmaps: per meter, the intervals of each day due by now minus the grace delay, and how many of them
     * are missing (0 of 0 before the meter's first expected interval or ahead of time).
     */
    @Override
    public Map<String, Map<LocalDate, Day>> perMeterPerDay(String gatewayId, LocalDate fromDay, LocalDate toDay)
            throws SQLException {
        Instant from = fromDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = min(toDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), clock.instant().minus(grace));
        Map<String, Map<LocalDate, Day>> counts = new LinkedHashMap<>();
        try (Connection connection = database.connect();
                PreparedStatement select = connection.prepareStatement(GATEWAY_METERS)) {
            select.setString(1, gatewayId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Map<LocalDate, Integer> expected = new TreeMap<>();
                    Map<LocalDate, Integer> missing = new TreeMap<>();
                    MeterProfile profile = profile(connection, rows.getLong(1), rows.getString(2),
                            commissionedAt(rows));
                    expected(profile, from, to).forEach(end -> expected.merge(dayOf(end), 1, Integer::sum));
                    missing(connection, profile, from, to).forEach(end -> missing.merge(dayOf(end), 1, Integer::sum));
                    Map<LocalDate, Day> days = new TreeMap<>();
                    for (LocalDate day = fromDay; !day.isAfter(toDay); day = day.plusDays(1)) {
                        days.put(day, new Day(expected.getOrDefault(day, 0), missing.getOrDefault(day, 0)));
                    }
                    counts.put(profile.serial(), days);
                }
            }
        }
        return counts;
    }

    /** When the meter of the current row of a {@code meters} query (state_since, state) was commissioned, or null. */
    static Instant commissionedAt(ResultSet meterRow) throws SQLException {
        long since = meterRow.getLong("state_since");
        return meterRow.wasNull() || !"commissioned".equals(meterRow.getString("state")) ? null
                : Instant.ofEpochMilli(since);
    }

    /** The UTC day an interval ending at {@code end} belongs to. */
    static LocalDate dayOf(Instant end) {
        return LocalDate.ofInstant(end.minusMillis(1), ZoneOffset.UTC);
    }

    /** What central knows of the meter's load profile. */
    static MeterProfile profile(Connection connection, long meterId, String serial, Instant commissionedAt)
            throws SQLException {
        Map<Long, Duration> periods = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(TYPES)) {
            select.setLong(1, meterId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong(1);
                    ReadingType.capturePeriodOf(rows.getString(2)).ifPresent(period -> periods.put(id, period));
                }
            }
        }
        Duration period = periods.values().stream().min(Duration::compareTo).orElse(DEFAULT_PERIOD);
        List<Long> types = periods.entrySet().stream().filter(type -> type.getValue().equals(period))
                .map(Map.Entry::getKey).toList();
        // The interval ending at the commissioning instant began before it: the first expected one ends after it.
        Instant expectedFrom = commissionedAt == null ? null : commissionedAt.plusMillis(1);
        for (long type : types) {
            expectedFrom = min(expectedFrom, firstInstant(connection, FIRST_END, meterId, type));
        }
        expectedFrom = min(expectedFrom, firstInstant(connection, FIRST_GAP, meterId, null));
        return new MeterProfile(meterId, serial, period, types, expectedFrom);
    }

    /** The interval ends in ({@code from}, {@code to}] central should have of the meter, in order. */
    static List<Instant> expected(MeterProfile profile, Instant from, Instant to) {
        List<Instant> expected = new ArrayList<>();
        if (profile.expectedFrom() == null) {
            return expected;
        }
        long period = profile.period().toMillis();
        // The first expected end: the first period boundary after from, not before the first expected interval.
        long first = Math.max(Math.floorDiv(from.toEpochMilli(), period) + 1,
                Math.floorDiv(profile.expectedFrom().toEpochMilli() + period - 1, period)) * period;
        for (long end = first; end <= to.toEpochMilli(); end += period) {
            expected.add(Instant.ofEpochMilli(end));
        }
        return expected;
    }

    /** The interval ends in ({@code from}, {@code to}] central should have of the meter and has not, in order. */
    static List<Instant> missing(Connection connection, MeterProfile profile, Instant from, Instant to)
            throws SQLException {
        List<Instant> expected = expected(profile, from, to);
        if (expected.isEmpty()) {
            return expected;
        }
        Set<Long> present = present(connection, profile, expected.get(0).toEpochMilli() - 1,
                expected.get(expected.size() - 1).toEpochMilli());
        return expected.stream().filter(end -> !present.contains(end.toEpochMilli())).toList();
    }

    private static Set<Long> present(Connection connection, MeterProfile profile, long after, long until)
            throws SQLException {
        Set<Long> present = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(ENDS)) {
            for (long type : profile.readingTypeIds()) {
                select.setLong(1, profile.meterId());
                select.setLong(2, type);
                select.setLong(3, after);
                select.setLong(4, until);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        present.add(rows.getLong(1));
                    }
                }
            }
        }
        return present;
    }

    private static Instant firstInstant(Connection connection, String sql, long meterId, Long type)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, meterId);
            if (type != null) {
                select.setLong(2, type);
            }
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                long first = rows.getLong(1);
                return rows.wasNull() ? null : Instant.ofEpochMilli(first);
            }
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }
}

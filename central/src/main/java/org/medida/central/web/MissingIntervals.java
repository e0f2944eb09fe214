package org.medida.central.web;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The missing-interval heatmap of a gateway: per meter and UTC day of the last {@link #DAYS} days, how many of the
 * load-profile intervals that day should have are stored. What a day should have follows from the channel's
 * capture period (the measuring period of its reading type: 96 for 15 minutes, 24 for an hour); today counts
 * only the intervals that have ended. A meter with several channels counts its most complete one.
 */
final class MissingIntervals {

    static final int DAYS = 7;
    static final int MAX_METERS = 500;
    /** CIM measuring period code (second field of the reading type) → minutes. */
    private static final Map<Integer, Integer> MINUTES = Map.of(3, 1, 6, 5, 1, 10, 2, 15, 5, 30, 7, 60, 4, 1440);
    private static final int DEFAULT_MINUTES = 15;

    record Cell(LocalDate day, long present, long expected) {
        /** Share stored, 0 to 1. */
        double share() {
            return expected == 0 ? 1 : Math.min(1.0, (double) present / expected);
        }
    }

    record MeterRow(String serial, List<Cell> cells) {
    }

    private MissingIntervals() {
    }

    static List<LocalDate> days(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<LocalDate> days = new ArrayList<>();
        for (int i = DAYS - 1; i >= 0; i--) {
            days.add(today.minusDays(i));
        }
        return days;
    }

    static List<MeterRow> of(Connection connection, String gatewayId, Instant now) throws SQLException {
        List<LocalDate> days = days(now);
        long from = days.get(0).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        Map<String, Map<Long, long[]>> counts = new LinkedHashMap<>();
        Map<String, Integer> minutesOf = new HashMap<>();
        // the day of an interval is that of its start: end - 1 ms, in whole days since the epoch (UTC)
        for (Rows.Row row : Rows.query(connection, """
                SELECT m.serial AS serial, rt.code AS code, (v.end_at - 1) / 86400000 AS day, COUNT(*) AS n
                FROM meters m JOIN interval_values v ON v.meter_id = m.meter_id
                JOIN reading_types rt ON rt.reading_type_id = v.reading_type_id
                WHERE m.gateway_id = ? AND v.end_at > ? AND v.end_at <= ?
                GROUP BY m.serial, rt.code, (v.end_at - 1) / 86400000""", gatewayId, from, now.toEpochMilli())) {
            String serial = row.text("serial");
            int minutes = minutes(row.text("code"));
            minutesOf.merge(serial, minutes, Math::min);
            // per day: the most complete channel, counted in intervals of the shortest period
            long[] best = counts.computeIfAbsent(serial, s -> new HashMap<>())
                    .computeIfAbsent(row.number("day"), d -> new long[] {0, minutes});
            if ((double) row.number("n") / (1440 / minutes) > (double) best[0] / (1440 / best[1])) {
                best[0] = row.number("n");
                best[1] = minutes;
            }
        }
        List<MeterRow> rows = new ArrayList<>();
        for (Rows.Row meter : Rows.query(connection, "SELECT serial FROM meters WHERE gateway_id = ? "
                + "AND state <> 'decommissioned' ORDER BY serial LIMIT " + MAX_METERS, gatewayId)) {
            String serial = meter.text("serial");
            Map<Long, long[]> byDay = counts.getOrDefault(serial, Map.of());
            List<Cell> cells = new ArrayList<>();
            for (LocalDate day : days) {
                long index = day.toEpochDay();
                long[] found = byDay.get(index);
                int minutes = found != null ? (int) found[1] : minutesOf.getOrDefault(serial, DEFAULT_MINUTES);
                cells.add(new Cell(day, found == null ? 0 : found[0], expected(day, minutes, now)));
            }
            rows.add(new MeterRow(serial, cells));
        }
        return rows;
    }

    private static long expected(LocalDate day, int minutes, Instant now) {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = start.plus(1, ChronoUnit.DAYS);
        long span = Duration.between(start, end.isAfter(now) ? now : end).toMinutes();
        return Math.max(0, span / minutes);
    }

    private static int minutes(String code) {
        String[] fields = code.split("\\.");
        try {
            return MINUTES.getOrDefault(Integer.parseInt(fields[2]), DEFAULT_MINUTES);
        } catch (RuntimeException e) {
            return DEFAULT_MINUTES;
        }
    }
}

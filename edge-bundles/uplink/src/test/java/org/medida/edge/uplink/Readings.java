package org.medida.edge.uplink;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.medida.edge.api.AppendResult;
import org.medida.edge.api.Backlog;
import org.medida.edge.api.EventLog;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterEvent;
import org.medida.edge.api.ProfileChannel;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.edge.store.StoreSettings;

/** A real SQLite store on a test's temporary file, and the meter data the tests put into it. */
final class Readings {

    static final String LOAD_PROFILE = "1.0.99.1.0.255";
    static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 1);

    private Readings() {
    }

    static SqliteReadingStore openStore(Path directory) {
        return SqliteReadingStore.open(new StoreSettings(directory.resolve("store.db"), 64L * 1024 * 1024));
    }

    /**
     * A UTC day of 15-minute entries of two cumulative energy channels (interval ends 00:00 to 23:45, so the day is
     * one batch), as a meter's load profile holds them.
     */
    static IntervalBlock day(String serial, LocalDate day) {
        Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<Interval> entries = new ArrayList<>();
        long import_ = 1_234_567 + day.getDayOfYear() * 960L;
        for (int i = 0; i < 96; i++) {
            entries.add(new Interval(midnight.plus(Duration.ofMinutes(15L * i)), 0,
                    List.of(BigDecimal.valueOf(import_ + i * 10L, 1), BigDecimal.valueOf(4000 + i))));
        }
        return new IntervalBlock(serial, LOAD_PROFILE, Duration.ofMinutes(15),
                List.of(new ProfileChannel("1.0.1.8.0.255", "Wh"), new ProfileChannel("1.0.2.8.0.255", "Wh")),
                entries);
    }

    static void appendDays(SqliteReadingStore store, String serial, LocalDate from, int days) {
        for (int d = 0; d < days; d++) {
            AppendResult result = store.appendIntervals(day(serial, from.plusDays(d)));
            if (result.outcome() != AppendResult.Outcome.STORED) {
                throw new IllegalStateException("store refused the test data: " + result);
            }
        }
    }

    static void appendEvent(SqliteReadingStore store, String serial, LocalDate day) {
        store.appendEvents(serial, List.of(new MeterEvent(EventLog.STANDARD, 1,
                day.atTime(3, 0).toInstant(ZoneOffset.UTC), 0)));
    }

    static void appendBilling(SqliteReadingStore store, String serial, LocalDate day) {
        Instant closure = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        store.appendRegisters(serial, List.of(new RegisterReading("1.0.1.8.0.255", new BigDecimal("12345.6"), "kWh",
                closure, closure.plusSeconds(600))));
    }

    /** Rows the store still holds (pending or in batches not confirmed). */
    static long rowsIn(SqliteReadingStore store) {
        Backlog backlog = store.backlog();
        return backlog.entries().values().stream().mapToLong(Long::longValue).sum();
    }
}

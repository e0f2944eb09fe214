package org.medida.central.web;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.medida.central.TestDatabases;
import org.medida.central.Central;
import org.medida.central.CentralFixture;
import org.medida.central.SampleBatches;
import org.medida.central.TestGateway;
import org.medida.edge.api.Batch;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.ProfileChannel;
import org.medida.testing.MosquittoBroker;

/**
 * A small fleet for the dashboard's tests, put in through the real ingest by a scripted gateway: gw-1 online with
 * three meters (a full week of a daily load shape with a hole, a partial week, registers only), gw-2 known but
 * never seen. Central runs on a fixed clock, {@link #NOW}, so the heatmap's week is always the same.
 */
final class DashboardFleet implements AutoCloseable {

    static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");
    static final String FULL = "LGZ1000001";
    static final String PARTIAL = "LGZ1000002";
    static final String REGISTERS_ONLY = "LGZ1000003";
    /** When {@link #commission} commissions the meters: after FULL's first intervals, before PARTIAL's. */
    static final Instant COMMISSIONED = NOW.minus(Duration.ofDays(4));

    final MosquittoBroker broker;
    final Central central;
    final Path database;

    private DashboardFleet(MosquittoBroker broker, Central central, Path database) {
        this.broker = broker;
        this.central = central;
        this.database = database;
    }

    static DashboardFleet start(Path dir) throws Exception {
        return start(dir, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** The same fleet on another clock (the work-order and plan services need time to pass). */
    static DashboardFleet start(Path dir, Clock clock) throws Exception {
        MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"));
        Path database = dir.resolve("central.db");
        Central central = CentralFixture.start(database, broker.url(), clock, "gw-1", "gw-2");
        try (TestGateway gateway = TestGateway.connect(broker.url(), "gw-1")) {
            gateway.sendStatus(true, 7);
            long id = 1;
            for (int daysBack = 6; daysBack >= 1; daysBack--) {
                LocalDate day = LocalDate.ofInstant(NOW, ZoneOffset.UTC).minusDays(daysBack);
                // a hole of 6 hours two days ago, as after a PLC outage
                gateway.send(dayProfile(id++, FULL, day, 1, daysBack == 2 ? 60 : 96));
                gateway.awaitAck();
                if (daysBack <= 3) {
                    gateway.send(dayProfile(id++, PARTIAL, day, 1, 96 - 20 * daysBack));
                    gateway.awaitAck();
                }
            }
            gateway.send(SampleBatches.billing(id++, FULL));
            gateway.awaitAck();
            gateway.send(SampleBatches.billing(id, REGISTERS_ONLY));
            gateway.awaitAck();
        }
        return new DashboardFleet(broker, central, database);
    }

    /** Entries first..last of a day of 15-minute A+ values shaped like a household: low at night, peaks at 8 and 19. */
    static Batch.Intervals dayProfile(long id, String serial, LocalDate day, int first, int last) {
        Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        long start = (day.toEpochDay() - SampleBatches.DAY.toEpochDay() + 10) * 20_000L;
        List<Interval> intervals = new ArrayList<>();
        long total = 0;
        for (int i = 1; i <= last; i++) {
            double hour = i / 4.0;
            total += Math.round(60 + 180 * Math.exp(-Math.pow(hour - 8, 2) / 2) + 260 * Math.exp(-Math.pow(hour - 19, 2) / 3)
                    + 20 * Math.sin(i * 1.7 + serial.hashCode()));
            if (i >= first) {
                intervals.add(new Interval(midnight.plus(Duration.ofMinutes(15L * i)), 0,
                        List.of(BigDecimal.valueOf(start + total).setScale(1))));
            }
        }
        return new Batch.Intervals(id, serial, day, List.of(new IntervalBlock(serial, SampleBatches.PROFILE,
                Duration.ofMinutes(15), List.of(new ProfileChannel("1.0.1.8.0.255", "Wh")), intervals)));
    }

    /**
     * Rows the work-order, plan and event features write, as they would leave them, so their pages have something
     * to show before those features are merged.
     */
    void addOperations() throws SQLException {
        commission();
        long now = NOW.toEpochMilli();
        try (Connection connection = TestDatabases.open(database).connect();
                Statement sql = connection.createStatement()) {
            sql.executeUpdate("INSERT INTO work_orders (correlation_id, serial, gateway_id, kind, priority, state, reason, "
                    + "origin, attempts, created_at, not_before, expires_at, completed_at) VALUES "
                    + "('5b7c1e9a-0001-4c3e-9a55-000000000001', '" + FULL + "', 'gw-1', 'READ_REGISTERS', 'HIGH', 'EXE', '', "
                    + "'user:admin', 1, " + (now - 3_600_000) + ", " + (now - 3_600_000) + ", " + (now + 3_600_000) + ", "
                    + (now - 3_590_000) + "), "
                    + "('5b7c1e9a-0002-4c3e-9a55-000000000002', '" + PARTIAL + "', 'gw-1', 'DISCONNECT', 'HIGH', 'FAIL', "
                    + "'meter not responding', 'user:admin', 3, " + (now - 1_800_000) + ", " + (now - 1_800_000) + ", "
                    + (now + 1_800_000) + ", " + (now - 1_500_000) + "), "
                    + "('5b7c1e9a-0003-4c3e-9a55-000000000003', '" + REGISTERS_ONLY + "', 'gw-1', 'READ_PROFILE', 'NORMAL', "
                    + "'SENT', '', 'plan:1', 1, " + (now - 60_000) + ", " + (now - 60_000) + ", " + (now + 3_600_000)
                    + ", NULL)");
            sql.executeUpdate("INSERT INTO plans (name, target_kind, target, kinds, first_day, last_day, window_start, "
                    + "window_end, max_attempts, retry_after_seconds, daily, state, created_by, created_at) VALUES "
                    + "('Daily registers gw-1', 'gateway', 'gw-1', 'READ_REGISTERS,READ_PROFILE', '2026-11-22', "
                    + "'2026-11-28', '02:00', '06:00', 3, 300, 1, 'ACTIVE', 'admin', " + (now - 86_400_000) + ")");
            // the plan feature may have made its default daily plan first: this one's id is looked up
            long plan;
            try (java.sql.ResultSet rows = sql.executeQuery("SELECT plan_id FROM plans WHERE name = 'Daily registers gw-1'")) {
                rows.next();
                plan = rows.getLong(1);
            }
            sql.executeUpdate("INSERT INTO plan_meters (plan_id, day, serial, state, reason, correlation_id, attempts, "
                    + "updated_at) VALUES (" + plan + ", '2026-11-22', '" + FULL + "', 'EXE', '', NULL, 1, " + now + "), "
                    + "(" + plan + ", '2026-11-22', '" + PARTIAL + "', 'FAIL', 'meter not responding', NULL, 3, " + now
                    + "), (" + plan + ", '2026-11-22', '" + REGISTERS_ONLY + "', 'RUNNING', '', NULL, 1, " + now + ")");
            sql.executeUpdate("INSERT INTO central_events (serial, gateway_id, at, source, code, name, detail, dedup_key, "
                    + "recorded_at) VALUES ('" + FULL + "', 'gw-1', " + (now - 7_200_000) + ", 'meter_log', 1, "
                    + "'power failure', 'standard log', 'e1', " + now + "), ('" + PARTIAL + "', 'gw-1', "
                    + (now - 1_500_000) + ", 'work_order', 1, 'meter not responding', 'DISCONNECT after 3 attempts', "
                    + "'e2', " + now + ")");
            sql.executeUpdate("INSERT INTO alarms (event_id, severity, raised_at) SELECT event_id, 'major', "
                    + (now - 1_500_000) + " FROM central_events WHERE dedup_key = 'e2'");
        }
    }

    /**
     * Every meter commissioned at {@link #COMMISSIONED} with every capability, as provisioning leaves a meter the
     * gateway confirmed.
     */
    void commission() throws SQLException {
        try (Connection connection = TestDatabases.open(database).connect();
                Statement sql = connection.createStatement()) {
            sql.executeUpdate("UPDATE meters SET state = 'commissioned', state_since = " + COMMISSIONED.toEpochMilli()
                    + ", capabilities = "
                    + "'disconnector,limiter,load_profile,events,instantaneous,clock', manufacturer = 'LGZ', "
                    + "meter_type = 'E450', relay_closed = 1");
        }
    }

    @Override
    public void close() {
        central.close();
        broker.close();
    }
}

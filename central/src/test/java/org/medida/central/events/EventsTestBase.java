package org.medida.central.events;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.TestDatabases;
import org.medida.central.CentralFixture;
import org.medida.central.SampleBatches;
import org.medida.central.SettableClock;
import org.medida.central.db.Database;
import org.medida.central.gateways.Gateways;
import org.medida.central.ingest.IngestHandler;
import org.medida.edge.api.Batch;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.ProfileChannel;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;

/** A real SQLite database fed by the real ingest handler with the events listener, on a clock the test moves. */
abstract class EventsTestBase {

    static final String GATEWAY = "gw-1";
    static final Duration QUARTER = Duration.ofMinutes(15);

    @TempDir
    Path dir;

    Path file;
    Database database;
    IngestHandler handler;
    final SettableClock clock = new SettableClock(SampleBatches.MIDNIGHT.plus(Duration.ofDays(1)));

    @BeforeEach
    void openDatabase() throws Exception {
        file = dir.resolve("central.db");
        database = TestDatabases.open(file);
        Gateways gateways = Gateways.load(database);
        gateways.register(database, List.of(GATEWAY), clock.instant());
        try (Connection connection = database.connect()) {
            AlarmRules.seedIfEmpty(connection);
        }
        handler = new IngestHandler(database, gateways, clock);
        handler.addListener(new IngestEvents());
    }

    @AfterEach
    void closeHandler() throws Exception {
        handler.close();
    }

    void ingest(Batch batch) {
        handler.handle(Topics.batch(GATEWAY), Payloads.encodeBatch(batch));
    }

    long number(String sql) throws SQLException {
        return CentralFixture.number(file, sql);
    }

    String text(String sql) throws SQLException {
        return CentralFixture.text(file, sql);
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * A 15-minute load profile of {@code serial} on {@code day}: entries {@code first}..{@code last} (1-based quarter
     * hours) except {@code skipped}, with {@code status} for the entries in {@code flagged}.
     */
    static Batch.Intervals profile(long id, String serial, LocalDate day, int first, int last, Set<Integer> skipped,
            int status, Set<Integer> flagged) {
        Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<Interval> intervals = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            if (!skipped.contains(i)) {
                intervals.add(new Interval(midnight.plus(QUARTER.multipliedBy(i)), flagged.contains(i) ? status : 0,
                        List.of(BigDecimal.valueOf(1000 + i), BigDecimal.valueOf(i))));
            }
        }
        return new Batch.Intervals(id, serial, day, List.of(new IntervalBlock(serial, SampleBatches.PROFILE, QUARTER,
                List.of(new ProfileChannel("1.0.1.8.0.255", "Wh"), new ProfileChannel("1.0.2.8.0.255", "Wh")),
                intervals)));
    }
}

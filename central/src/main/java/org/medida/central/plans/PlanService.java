package org.medida.central.plans;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medida.central.db.Database;
import org.medida.central.web.AuditLog;
import org.medida.central.workorders.RetryPolicy;
import org.medida.edge.api.TaskKind;

/**
 * Mass read plans (P1-P4) as operators and external systems see them: created after validation, listed, followed
 * meter by meter, cancelled; the results of a plan's meters, in the order they became final. The work itself is the
 * {@link PlanRunner}'s.
 */
public final class PlanService {

    /** The default plan's name (P2): every commissioned meter's registers, every night. */
    public static final String DAILY_BILLING_READ = "daily billing read";
    /** Who created the default plan. */
    static final String CENTRAL = "central";

    /** The default plan: READ_REGISTERS on every commissioned meter, 01:00-05:00 UTC, 3 attempts 20 minutes apart. */
    static PlanDefinition dailyBillingRead(LocalDate firstDay) {
        return new PlanDefinition(DAILY_BILLING_READ, PlanTarget.ALL_METERS, List.of(TaskKind.READ_REGISTERS),
                firstDay, null, LocalTime.of(1, 0), LocalTime.of(5, 0), new RetryPolicy(3, Duration.ofMinutes(20)));
    }

    /** A plan and where its meters are on one day (counts of waiting, running, exe, warn, fail). */
    public record Progress(Plan plan, LocalDate day, Map<String, Long> counts) {
    }

    private final Database database;
    private final Clock clock;

    public PlanService(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Validates and stores {@code plan} on behalf of {@code username}; it runs from its first window on. */
    public Plan create(PlanDefinition plan, String username) throws SQLException, InvalidPlanException {
        Instant now = clock.instant();
        return database.inTransaction(connection -> {
            List<String> problems = PlanValidation.problems(connection, plan, now);
            if (!problems.isEmpty()) {
                throw new InvalidPlanException(problems);
            }
            long id = PlanStore.insert(connection, plan, username, now);
            AuditLog.record(connection, now, username, "plan.create", "plan:" + id, plan.name());
            return PlanStore.find(connection, id).orElseThrow();
        });
    }

    /** Creates the default daily plan unless a plan of its name exists (even cancelled: an operator's choice). */
    public Plan ensureDailyBillingRead() throws SQLException {
        Instant now = clock.instant();
        return database.inTransaction(connection -> {
            Optional<Plan> existing = PlanStore.findByName(connection, DAILY_BILLING_READ);
            if (existing.isPresent()) {
                return existing.get();
            }
            long id = PlanStore.insert(connection, dailyBillingRead(LocalDate.ofInstant(now, ZoneOffset.UTC)),
                    CENTRAL, now);
            return PlanStore.find(connection, id).orElseThrow();
        });
    }

    public List<Plan> list() throws SQLException {
        try (Connection connection = database.connect()) {
            return PlanStore.all(connection);
        }
    }

    public Optional<Plan> find(long id) throws SQLException {
        try (Connection connection = database.connect()) {
            return PlanStore.find(connection, id);
        }
    }

    /** Progress on {@code day}, or on the plan's latest day when null (today's date if it has not started). */
    public Optional<Progress> progress(long id, LocalDate day) throws SQLException {
        try (Connection connection = database.connect()) {
            Optional<Plan> plan = PlanStore.find(connection, id);
            if (plan.isEmpty()) {
                return Optional.empty();
            }
            LocalDate shown = day != null ? day : dayShown(connection, id);
            return Optional.of(new Progress(plan.get(), shown, PlanStore.counts(connection, id, shown)));
        }
    }

    /** Every meter of the plan on {@code day} (the latest day when null); empty when there is no such plan. */
    public Optional<List<MeterProgress>> meters(long id, LocalDate day) throws SQLException {
        try (Connection connection = database.connect()) {
            if (PlanStore.find(connection, id).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(PlanStore.meters(connection, id, day != null ? day : dayShown(connection, id)));
        }
    }

    /** Results of the plan after delivery {@code after}, oldest first; empty when there is no such plan. */
    public Optional<List<PlanStore.Delivery>> results(long id, long after, int limit) throws SQLException {
        try (Connection connection = database.connect()) {
            if (PlanStore.find(connection, id).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(PlanStore.results(connection, id, after, limit));
        }
    }

    /**
     * Cancels an active plan: its waiting meters end FAIL "plan cancelled"; orders already out run to their end and
     * are recorded. Empty when there is no such plan.
     *
     * @throws IllegalStateException when the plan is not active
     */
    public Optional<Plan> cancel(long id, String username) throws SQLException {
        Instant now = clock.instant();
        return database.inTransaction(connection -> {
            Optional<Plan> found = PlanStore.find(connection, id);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Plan plan = found.get();
            if (plan.state() != PlanState.ACTIVE) {
                throw new IllegalStateException("plan " + id + " is " + plan.state() + ", not ACTIVE");
            }
            PlanStore.setState(connection, id, PlanState.CANCELLED);
            for (LocalDate day : PlanStore.daysWaiting(connection, id)) {
                MeterResults.failWaiting(connection, plan, day, "plan cancelled by " + username, now);
            }
            AuditLog.record(connection, now, username, "plan.cancel", "plan:" + id, plan.definition().name());
            return PlanStore.find(connection, id);
        });
    }

    private LocalDate dayShown(Connection connection, long id) throws SQLException {
        return PlanStore.latestDay(connection, id).orElse(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }
}

package org.medida.central.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.SettableClock;
import org.medida.central.workorders.RetryPolicy;
import org.medida.edge.api.TaskKind;

/** P1 and P2 on a real SQLite database: plans are validated before they run; the default daily plan exists. */
class PlanServiceTest {

    private static final LocalDate TODAY = LocalDate.parse("2026-11-22");

    @TempDir
    Path dir;

    private PlanFleet fleet;
    private final SettableClock clock = new SettableClock(PlanFleet.at("2026-11-22T08:00:00Z"));
    private PlanService service;

    @BeforeEach
    void setUp() throws Exception {
        fleet = new PlanFleet(dir);
        fleet.gateway("gw-1");
        fleet.gateway("gw-empty");
        fleet.meters("A", 3, "gw-1", "commissioned", PlanFleet.ALL_CAPABILITIES);
        fleet.meter("B001", "gw-1", "commissioned", "");
        fleet.meter("R001", "gw-1", "registered", PlanFleet.ALL_CAPABILITIES);
        fleet.group("north", "A001");
        service = new PlanService(fleet.database, clock);
    }

    private static PlanDefinition plan(PlanTarget target, List<TaskKind> kinds) {
        return new PlanDefinition("night read", target, kinds, TODAY, TODAY.plusDays(1), LocalTime.of(9, 0),
                LocalTime.of(11, 0), new RetryPolicy(2, Duration.ofMinutes(5)));
    }

    @Test
    void createsAValidPlanAndAuditsIt() throws Exception {
        Plan plan = service.create(plan(new PlanTarget(PlanTarget.Kind.GROUP, "north"),
                List.of(TaskKind.READ_REGISTERS, TaskKind.READ_PROFILE)), "tech");
        assertEquals(PlanState.ACTIVE, plan.state());
        assertEquals("tech", plan.createdBy());
        assertEquals(List.of(TaskKind.READ_REGISTERS, TaskKind.READ_PROFILE), plan.definition().kinds());
        assertEquals(plan, service.find(plan.id()).orElseThrow());
        assertEquals("tech|plan.create|plan:" + plan.id() + "|night read",
                fleet.one("SELECT username, action, target, detail FROM audit_log"));
        assertEquals(List.of(plan), service.list());
    }

    @Test
    void refusesAListWithUnknownUncommissionedAndUnsupportedMetersNamingEach() throws Exception {
        InvalidPlanException refused = assertThrows(InvalidPlanException.class, () -> service.create(
                plan(new PlanTarget(PlanTarget.Kind.LIST, "A001, X999,R001,B001"),
                        List.of(TaskKind.READ_REGISTERS, TaskKind.DISCONNECT)), "tech"));
        assertEquals(List.of("meter X999: unknown", "meter B001: does not support DISCONNECT (no disconnector "
                + "capability)", "meter R001: registered, not commissioned"), refused.problems());
        assertEquals(List.of(), service.list(), "a refused plan is not stored");
        assertEquals(List.of(), fleet.rows("SELECT * FROM audit_log"));
    }

    @Test
    void refusesAGatewayTargetWithAMeterLackingACapability() throws Exception {
        InvalidPlanException refused = assertThrows(InvalidPlanException.class, () -> service.create(
                plan(new PlanTarget(PlanTarget.Kind.GATEWAY, "gw-1"), List.of(TaskKind.READ_EVENTS)), "tech"));
        assertEquals(List.of("meter B001: does not support READ_EVENTS (no events capability)"), refused.problems());
    }

    @Test
    void refusesEmptyAndUnknownTargets() throws Exception {
        assertEquals(List.of("target.value: no gateway gw-9"), problems(new PlanTarget(PlanTarget.Kind.GATEWAY,
                "gw-9")));
        assertEquals(List.of("target: no commissioned meter in gateway gw-empty"),
                problems(new PlanTarget(PlanTarget.Kind.GATEWAY, "gw-empty")));
        assertEquals(List.of("target: no commissioned meter in group south"),
                problems(new PlanTarget(PlanTarget.Kind.GROUP, "south")));
        assertEquals(List.of("target.value: required for a list target"),
                problems(new PlanTarget(PlanTarget.Kind.LIST, " ")));
        assertEquals(List.of("target.value: required for a list target"),
                problems(new PlanTarget(PlanTarget.Kind.LIST, " , ,")));
    }

    @Test
    void refusesDatesAndWindowsThatMakeNoSense() throws Exception {
        PlanTarget all = PlanTarget.ALL_METERS;
        RetryPolicy retry = RetryPolicy.ONCE;
        InvalidPlanException backwards = assertThrows(InvalidPlanException.class, () -> service.create(
                new PlanDefinition(" ", all, List.of(), TODAY, TODAY.minusDays(1), LocalTime.of(5, 0),
                        LocalTime.of(1, 0), retry), "tech"));
        assertEquals(List.of("name: required", "kinds: at least one task kind",
                "lastDay: 2026-11-21 is before firstDay 2026-11-22",
                "windowEnd: 01:00 is not after windowStart 05:00 (a window does not cross midnight UTC)"),
                backwards.problems());
        InvalidPlanException over = assertThrows(InvalidPlanException.class, () -> service.create(
                new PlanDefinition("late", all, List.of(TaskKind.READ_REGISTERS), TODAY, TODAY, LocalTime.of(1, 0),
                        LocalTime.of(5, 0), retry), "tech"));
        assertEquals(List.of("lastDay: the plan's last window ended at 2026-11-22T05:00:00Z"), over.problems());
    }

    @Test
    void summarisesManyMeterProblems() throws Exception {
        fleet.meters("C", 60, "gw-1", "commissioned", "");
        InvalidPlanException refused = assertThrows(InvalidPlanException.class, () -> service.create(
                plan(PlanTarget.ALL_METERS, List.of(TaskKind.SYNC_CLOCK)), "tech"));
        assertEquals(PlanValidation.MAX_METER_PROBLEMS + 1, refused.problems().size());
        assertEquals("... and 11 more meter problems", refused.problems().get(PlanValidation.MAX_METER_PROBLEMS));
    }

    @Test
    void theDefaultDailyPlanIsCreatedOnceAndKeptWhenCancelled() throws Exception {
        Plan daily = service.ensureDailyBillingRead();
        assertEquals(PlanService.DAILY_BILLING_READ, daily.definition().name());
        assertEquals(PlanTarget.ALL_METERS, daily.definition().target());
        assertEquals(List.of(TaskKind.READ_REGISTERS), daily.definition().kinds());
        assertTrue(daily.definition().daily());
        assertEquals(TODAY, daily.definition().firstDay());
        assertEquals("central", daily.createdBy());
        assertEquals(daily, service.ensureDailyBillingRead());
        service.cancel(daily.id(), "admin");
        clock.advance(Duration.ofDays(3));
        assertEquals(PlanState.CANCELLED, service.ensureDailyBillingRead().state(),
                "an operator's cancel is not undone by a restart");
        assertEquals(1, service.list().size());
    }

    @Test
    void cancellingTwiceIsRefusedAndAnUnknownPlanIsEmpty() throws Exception {
        Plan plan = service.create(plan(PlanTarget.ALL_METERS, List.of(TaskKind.READ_REGISTERS)), "tech");
        assertEquals(PlanState.CANCELLED, service.cancel(plan.id(), "tech").orElseThrow().state());
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> service.cancel(plan.id(),
                "tech"));
        assertEquals("plan " + plan.id() + " is CANCELLED, not ACTIVE", again.getMessage());
        assertTrue(service.cancel(999, "tech").isEmpty());
        assertTrue(service.progress(999, null).isEmpty());
        assertTrue(service.meters(999, null).isEmpty());
        assertTrue(service.results(999, 0, 10).isEmpty());
    }

    private List<String> problems(PlanTarget target) {
        return assertThrows(InvalidPlanException.class, () -> service.create(plan(target,
                List.of(TaskKind.READ_REGISTERS)), "tech")).problems();
    }
}

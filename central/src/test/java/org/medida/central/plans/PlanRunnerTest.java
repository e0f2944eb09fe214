package org.medida.central.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.SettableClock;
import org.medida.central.workorders.OrderState;
import org.medida.central.workorders.RetryPolicy;
import org.medida.central.workorders.WorkOrder;
import org.medida.central.workorders.WorkOrderRequest;
import org.medida.edge.api.Priority;
import org.medida.edge.api.TaskKind;

/**
 * The plan runner on a real SQLite database, its work orders ended by the test through a double of central's own
 * WorkOrders seam: paced per gateway, per-meter progress, the windows, the end of a plan, and every final result
 * queued for delivery.
 */
class PlanRunnerTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-22");
    private static final int PER_GATEWAY = 4;

    @TempDir
    Path dir;

    private PlanFleet fleet;
    private final SettableClock clock = new SettableClock(PlanFleet.at("2026-11-22T08:00:00Z"));
    private ScriptedWorkOrders orders;
    private PlanService service;
    private PlanRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        fleet = new PlanFleet(dir);
        fleet.gateway("gw-1");
        fleet.gateway("gw-2");
        fleet.meters("A", 10, "gw-1", "commissioned", PlanFleet.ALL_CAPABILITIES);
        fleet.meters("B", 10, "gw-2", "commissioned", PlanFleet.ALL_CAPABILITIES);
        orders = new ScriptedWorkOrders(clock);
        service = new PlanService(fleet.database, clock);
        runner = new PlanRunner(fleet.database, orders, clock, PER_GATEWAY);
        orders.onCompletion(order -> {
            try {
                runner.orderEnded(order);
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        });
    }

    private Plan plan(PlanTarget target, List<TaskKind> kinds, LocalDate lastDay) throws Exception {
        return service.create(new PlanDefinition("test plan", target, kinds, DAY, lastDay, LocalTime.of(9, 0),
                LocalTime.of(11, 0), new RetryPolicy(3, Duration.ofMinutes(5))), "tech");
    }

    @Test
    void waitsForTheWindowThenSubmitsPacedPerGateway() throws Exception {
        Plan plan = plan(PlanTarget.ALL_METERS, List.of(TaskKind.READ_REGISTERS), DAY);
        runner.runOnce();
        assertEquals(List.of(), orders.requests(), "nothing before the window");
        assertEquals(0, service.progress(plan.id(), null).orElseThrow().counts().get("waiting"));

        clock.set(PlanFleet.at("2026-11-22T09:00:00Z"));
        runner.runOnce();
        assertEquals(Map.of("gw-1", PER_GATEWAY, "gw-2", PER_GATEWAY), outstandingPerGateway());
        WorkOrderRequest request = orders.requests().get(0);
        assertEquals("A001", request.serial());
        assertEquals(TaskKind.READ_REGISTERS, request.kind());
        assertEquals(Priority.NORMAL, request.priority());
        assertEquals("plan:" + plan.id(), request.origin());
        assertEquals(plan.id(), request.planId());
        assertEquals(plan.definition().retry(), request.retry());
        assertEquals(PlanFleet.at("2026-11-22T11:00:00Z"), request.expiresAt(), "expires at the window's end");
        assertEquals(counts(12, 8, 0, 0, 0), service.progress(plan.id(), null).orElseThrow().counts());

        runner.runOnce();
        assertEquals(8, orders.requests().size(), "a round with every slot taken sends nothing");
        orders.end(orders.outstanding().get(0), OrderState.EXE, "", 1);
        runner.refill();
        assertEquals(9, orders.requests().size(), "the freed slot is taken");
        assertEquals(Map.of("gw-1", PER_GATEWAY, "gw-2", PER_GATEWAY), outstandingPerGateway());
    }

    @Test
    void everyMeterEndsWithItsStateAttemptsReasonAndCorrelationId() throws Exception {
        Plan plan = plan(new PlanTarget(PlanTarget.Kind.GATEWAY, "gw-1"), List.of(TaskKind.READ_REGISTERS), DAY);
        clock.set(PlanFleet.at("2026-11-22T09:00:00Z"));
        runToEnd(plan, order -> {
            int n = Integer.parseInt(order.serial().substring(1));
            if (n <= 6) {
                orders.end(order, OrderState.EXE, "", 1);
            } else if (n <= 8) {
                orders.end(order, OrderState.WARN, "clock 40 s off", 2);
            } else {
                orders.end(order, OrderState.FAIL, "no answer from the meter", 3);
            }
        });
        assertEquals(counts(0, 0, 6, 2, 2), service.progress(plan.id(), DAY).orElseThrow().counts());
        List<MeterProgress> meters = service.meters(plan.id(), null).orElseThrow();
        assertEquals(10, meters.size());
        MeterProgress warned = meters.get(6);
        assertEquals("A007|WARN|READ_REGISTERS: clock 40 s off|2", warned.serial() + "|" + warned.state() + "|"
                + warned.reason() + "|" + warned.attempts());
        MeterProgress failed = meters.get(9);
        assertEquals("A010|FAIL|READ_REGISTERS: no answer from the meter|3", failed.serial() + "|" + failed.state()
                + "|" + failed.reason() + "|" + failed.attempts());
        assertEquals(orders.requests().size(), 10);
        assertTrue(failed.correlationId().startsWith("co-"));

        List<String> deliveries = fleet.rows("SELECT correlation_id, payload FROM deliveries ORDER BY delivery_id");
        assertEquals(10, deliveries.size(), "one result per ended order");
        JsonNode first = PlanFormat.JSON.readTree(deliveries.get(0).split("\\|", 2)[1]);
        assertEquals(plan.id(), first.get("planId").asLong());
        assertEquals("2026-11-22", first.get("day").asText());
        assertEquals("EXE", first.get("state").asText());
        assertEquals("1234.500", first.get("registers").get(0).get("value").asText(), "exact decimal as text");
        assertEquals("1.0.1.8.0.255", first.get("registers").get(0).get("obis").asText());

        clock.set(PlanFleet.at("2026-11-22T11:00:00Z"));
        runner.runOnce();
        assertEquals(PlanState.DONE, service.find(plan.id()).orElseThrow().state(), "past its last window, all final");
    }

    @Test
    void runsTheKindsOneAfterTheOtherAndKeepsTheWorstResult() throws Exception {
        Plan plan = plan(new PlanTarget(PlanTarget.Kind.LIST, "A001,A002"),
                List.of(TaskKind.READ_REGISTERS, TaskKind.READ_PROFILE, TaskKind.SYNC_CLOCK), DAY);
        clock.set(PlanFleet.at("2026-11-22T09:00:00Z"));
        runner.runOnce();
        assertEquals(2, orders.outstanding().size(), "one order per meter at a time");
        orders.end(order("A001"), OrderState.WARN, "1 register missing", 1);
        orders.end(order("A002"), OrderState.EXE, "", 1);
        assertEquals("WAITING|1", fleet.one("SELECT state, step FROM plan_meters WHERE serial = 'A001'"));
        runner.runOnce();
        WorkOrderRequest profile = orders.requests().get(2);
        assertEquals(TaskKind.READ_PROFILE, profile.kind());
        assertEquals(PlanRunner.LOOK_BACK_SECONDS, profile.argument(), "profile over the last day");
        orders.end(order("A001"), OrderState.EXE, "", 1);
        orders.end(order("A002"), OrderState.FAIL, "no answer", 2);
        runner.runOnce();
        orders.end(order("A001"), OrderState.EXE, "", 1);
        orders.end(order("A002"), OrderState.EXE, "", 1);
        assertEquals(List.of("A001|WARN|READ_REGISTERS: 1 register missing|3|2",
                "A002|FAIL|READ_PROFILE: no answer|4|2"),
                fleet.rows("SELECT serial, state, reason, attempts, step FROM plan_meters ORDER BY serial"));
        assertEquals(6, fleet.rows("SELECT * FROM deliveries").size(), "every order's result is delivered");
    }

    @Test
    void metersNotSentBeforeTheWindowClosesFailAndAreDelivered() throws Exception {
        Plan plan = plan(PlanTarget.ALL_METERS, List.of(TaskKind.READ_REGISTERS), DAY);
        clock.set(PlanFleet.at("2026-11-22T10:59:00Z"));
        runner.runOnce();
        clock.set(PlanFleet.at("2026-11-22T11:00:00Z"));
        runner.runOnce();
        assertEquals(counts(0, 8, 0, 0, 12), service.progress(plan.id(), DAY).orElseThrow().counts());
        assertEquals("FAIL|READ_REGISTERS: not sent before the window closed at 2026-11-22T11:00:00Z|null",
                fleet.one("SELECT state, reason, correlation_id FROM plan_meters WHERE serial = 'A010'"));
        assertEquals(12, fleet.rows("SELECT * FROM deliveries WHERE correlation_id = ''").size());
        assertEquals(PlanState.ACTIVE, service.find(plan.id()).orElseThrow().state(), "orders still out");

        orders.endAll(OrderState.FAIL, "expired");
        runner.runOnce();
        assertEquals(counts(0, 0, 0, 0, 20), service.progress(plan.id(), DAY).orElseThrow().counts());
        assertEquals(PlanState.DONE, service.find(plan.id()).orElseThrow().state());
    }

    @Test
    void collectsTheEndsOfOrdersCentralWasNotToldAbout() throws Exception {
        Plan plan = plan(new PlanTarget(PlanTarget.Kind.LIST, "A001"), List.of(TaskKind.READ_REGISTERS), DAY);
        clock.set(PlanFleet.at("2026-11-22T09:00:00Z"));
        runner.runOnce();
        orders.endSilently(order("A001"), OrderState.FAIL, "expired");
        clock.set(PlanFleet.at("2026-11-22T11:00:00Z"));
        runner.runOnce();
        assertEquals("FAIL|READ_REGISTERS: expired", fleet.one("SELECT state, reason FROM plan_meters"));
        assertEquals(PlanState.DONE, service.find(plan.id()).orElseThrow().state());
    }

    @Test
    void anEndNeverToldIsCollectedByTheNextRound() throws Exception {
        plan(new PlanTarget(PlanTarget.Kind.GATEWAY, "gw-1"), List.of(TaskKind.READ_REGISTERS), DAY);
        clock.set(PlanFleet.at("2026-11-22T09:00:00Z"));
        runner.runOnce();
        orders.endSilently(order("A001"), OrderState.EXE, "");
        assertEquals("RUNNING", fleet.one("SELECT state FROM plan_meters WHERE serial = 'A001'"),
                "nothing told yet");
        runner.runOnce();
        assertEquals("EXE", fleet.one("SELECT state FROM plan_meters WHERE serial = 'A001'"),
                "a lost or unrecorded completion (told while central was down, or its write lost) is found");
        assertEquals(PER_GATEWAY + 1, orders.requests().size(), "the slot it held is taken by the next meter");

        PlanRunner restarted = new PlanRunner(fleet.database, orders, clock, PER_GATEWAY);
        restarted.runOnce();
        assertEquals("EXE", fleet.one("SELECT state FROM plan_meters WHERE serial = 'A001'"));
    }

    @Test
    void anOrderRefusedAtSubmissionFailsTheMeterAtOnceAndIsRecordedOnce() throws Exception {
        orders.refuse(Set.of("A002"));
        plan(new PlanTarget(PlanTarget.Kind.LIST, "A001,A002"), List.of(TaskKind.READ_REGISTERS), DAY);
        clock.set(PlanFleet.at("2026-11-22T09:00:00Z"));
        runner.runOnce();
        assertEquals("FAIL|READ_REGISTERS: meter A002 is not commissioned",
                fleet.one("SELECT state, reason FROM plan_meters WHERE serial = 'A002'"));
        WorkOrder refused = orders.find("co-2").orElseThrow();
        runner.orderEnded(refused);
        orders.end(order("A001"), OrderState.EXE, "", 1);
        orders.end(orders.find("co-1").orElseThrow(), OrderState.EXE, "", 1);
        assertEquals(2, fleet.rows("SELECT * FROM deliveries").size(), "an end told twice is recorded once");
    }

    @Test
    void ordersOfNoPlanOrOfAnotherPlanChangeNothing() throws Exception {
        plan(new PlanTarget(PlanTarget.Kind.LIST, "A001"), List.of(TaskKind.READ_REGISTERS), DAY);
        clock.set(PlanFleet.at("2026-11-22T09:00:00Z"));
        runner.runOnce();
        WorkOrder real = order("A001");
        runner.orderEnded(new WorkOrder(real.correlationId(), "A001", null, TaskKind.READ_REGISTERS, 0,
                Priority.HIGH, OrderState.EXE, "", "user:tech", null, 1, real.createdAt(), real.expiresAt(),
                clock.instant(), List.of(), null));
        runner.orderEnded(new WorkOrder(real.correlationId(), "A001", null, TaskKind.READ_REGISTERS, 0,
                Priority.NORMAL, OrderState.EXE, "", "plan:77", 77L, 1, real.createdAt(), real.expiresAt(),
                clock.instant(), List.of(), null));
        assertEquals("RUNNING", fleet.one("SELECT state FROM plan_meters"));
        assertEquals(List.of(), fleet.rows("SELECT * FROM deliveries"));
    }

    @Test
    void theDailyPlanCoversAMeterCommissionedDuringItsWindowAndRunsEveryDay() throws Exception {
        Plan daily = service.ensureDailyBillingRead();
        clock.set(PlanFleet.at("2026-11-22T01:00:00Z"));
        runner.runOnce();
        orders.endAll(OrderState.EXE, "");
        fleet.meter("NEW01", "gw-1", "commissioned", "");
        runToEnd(daily, order -> orders.end(order, OrderState.EXE, "", 1));
        assertEquals("EXE", fleet.one("SELECT state FROM plan_meters WHERE serial = 'NEW01'"),
                "the new meter is read the day it is commissioned");
        assertEquals(counts(0, 0, 21, 0, 0), service.progress(daily.id(), DAY).orElseThrow().counts());

        clock.set(PlanFleet.at("2026-11-23T02:00:00Z"));
        runner.runOnce();
        assertEquals(LocalDate.parse("2026-11-23"), service.progress(daily.id(), null).orElseThrow().day());
        assertEquals(PlanState.ACTIVE, service.find(daily.id()).orElseThrow().state(), "a daily plan never ends");
    }

    @Test
    void aCancelledPlanSendsNothingMoreAndRecordsWhatWasOut() throws Exception {
        Plan plan = plan(new PlanTarget(PlanTarget.Kind.GATEWAY, "gw-1"), List.of(TaskKind.READ_REGISTERS), DAY);
        clock.set(PlanFleet.at("2026-11-22T09:00:00Z"));
        runner.runOnce();
        service.cancel(plan.id(), "tech");
        assertEquals(counts(0, PER_GATEWAY, 0, 0, 10 - PER_GATEWAY), service.progress(plan.id(), DAY).orElseThrow()
                .counts());
        assertEquals("FAIL|READ_REGISTERS: plan cancelled by tech",
                fleet.one("SELECT state, reason FROM plan_meters WHERE serial = 'A010'"));
        orders.endAll(OrderState.EXE, "");
        runner.runOnce();
        assertEquals(PER_GATEWAY, orders.requests().size());
        assertEquals(counts(0, 0, PER_GATEWAY, 0, 10 - PER_GATEWAY), service.progress(plan.id(), DAY)
                .orElseThrow().counts());
    }

    /** Runs rounds, ending every order out as {@code end} says, until no meter of the plan waits or runs. */
    private void runToEnd(Plan plan, Consumer<WorkOrder> end) throws SQLException {
        Map<String, Long> counts;
        do {
            runner.runOnce();
            orders.outstanding().forEach(end);
            counts = service.progress(plan.id(), null).orElseThrow().counts();
        } while (counts.get("waiting") + counts.get("running") > 0);
    }

    private WorkOrder order(String serial) {
        return orders.outstanding().stream().filter(order -> order.serial().equals(serial)).findFirst()
                .orElseThrow(() -> new AssertionError("no order out for " + serial));
    }

    private Map<String, Integer> outstandingPerGateway() throws SQLException {
        return fleet.rows("SELECT m.gateway_id FROM plan_meters p JOIN meters m ON m.serial = p.serial "
                + "WHERE p.state = 'RUNNING'").stream().collect(Collectors.groupingBy(gateway -> gateway,
                        Collectors.summingInt(row -> 1)));
    }

    private static Map<String, Long> counts(long waiting, long running, long exe, long warn, long fail) {
        return Map.of("waiting", waiting, "running", running, "exe", exe, "warn", warn, "fail", fail);
    }
}

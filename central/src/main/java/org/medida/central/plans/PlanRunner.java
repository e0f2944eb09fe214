package org.medida.central.plans;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medida.central.db.Database;
import org.medida.central.workorders.WorkOrder;
import org.medida.central.workorders.WorkOrderRequest;
import org.medida.central.workorders.WorkOrders;
import org.medida.edge.api.Priority;
import org.medida.edge.api.TaskKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the active plans, one round at a time, always on the same thread (the caller's): inside a plan's window of
 * the day it adds the target's meters, then submits their orders (origin {@code plan:<id>}, NORMAL priority, the
 * plan's retry policy, expiring at the window's end) — paced, at most {@code perGateway} orders of all plans out
 * per gateway, so a gateway's on-demand work stays short; a meter whose window closes before its order was sent
 * ends FAIL; a plan past its last window with every meter final is DONE. Ended orders come back through
 * {@link #orderEnded}, on the same thread.
 */
final class PlanRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PlanRunner.class);
    /** Look-back of profile and event reads: the day since the last daily read. */
    static final long LOOK_BACK_SECONDS = 86_400;

    private final Database database;
    private final WorkOrders workOrders;
    private final Clock clock;
    private final int perGateway;

    PlanRunner(Database database, WorkOrders workOrders, Clock clock, int perGateway) {
        if (perGateway < 1) {
            throw new IllegalArgumentException("at least one order per gateway: " + perGateway);
        }
        this.database = database;
        this.workOrders = workOrders;
        this.clock = clock;
        this.perGateway = perGateway;
    }

    /** The pacing bucket of a meter: its gateway, or "" for point-to-point meters (central's own links). */
    static String pacingKey(String gatewayId) {
        return gatewayId == null ? "" : gatewayId;
    }

    /** One round over every active plan. */
    void runOnce() throws SQLException {
        round(true);
    }

    /**
     * Fills the gateway slots an ended order freed, with meters already waiting: the light round run after every
     * ended order (adding meters, closing windows and ending plans is left to the full rounds).
     */
    void refill() throws SQLException {
        round(false);
    }

    private void round(boolean full) throws SQLException {
        Instant now = clock.instant();
        if (full) {
            collectMissed();
        }
        List<Plan> plans;
        Map<String, Integer> out;
        try (Connection connection = database.connect()) {
            plans = PlanStore.active(connection);
            out = PlanStore.runningPerGateway(connection);
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (Plan plan : plans) {
            if (full) {
                closeWindows(plan, now);
            }
            PlanDefinition definition = plan.definition();
            if (definition.covers(today) && !now.isBefore(definition.windowStart(today))
                    && now.isBefore(definition.windowEnd(today))) {
                if (full) {
                    database.inTransaction(connection -> {
                        PlanStore.addMeters(connection, plan, today, now);
                        return null;
                    });
                }
                submit(plan, today, now, out);
            }
            if (full) {
                finishIfOver(plan, now);
            }
        }
    }

    /** Records an ended order of a plan (an order of no plan, or told twice, changes nothing). */
    void orderEnded(WorkOrder order) throws SQLException {
        if (order.planId() == null || !order.state().isFinal()) {
            return;
        }
        Instant now = clock.instant();
        database.inTransaction(connection -> {
            Optional<Plan> plan = PlanStore.find(connection, order.planId());
            return plan.isPresent() && MeterResults.orderEnded(connection, plan.get(), order, now);
        });
    }

    /**
     * Asks the work orders for the end of every order still out, in every plan (a cancelled plan's orders hold
     * gateway slots too): an end may never be told, or be told and not recorded (told while central was down, queued
     * when it stopped, or its transaction lost the write lock too often), and a meter must never stay RUNNING for
     * that. At most the orders out (bounded per gateway) are looked up, once a round.
     */
    private void collectMissed() throws SQLException {
        List<PlanStore.Order> out;
        try (Connection connection = database.connect()) {
            out = PlanStore.runningOrders(connection);
        }
        for (PlanStore.Order order : out) {
            Optional<WorkOrder> found = workOrders.find(order.correlationId());
            if (found.isPresent()) {
                orderEnded(found.get());
            }
        }
    }

    private void closeWindows(Plan plan, Instant now) throws SQLException {
        database.inTransaction(connection -> {
            for (LocalDate day : PlanStore.daysWaiting(connection, plan.id())) {
                if (!now.isBefore(plan.definition().windowEnd(day))) {
                    MeterResults.failWaiting(connection, plan, day, "not sent before the window closed at "
                            + plan.definition().windowEnd(day), now);
                }
            }
            return null;
        });
    }

    private void submit(Plan plan, LocalDate day, Instant now, Map<String, Integer> out) throws SQLException {
        List<PlanStore.Waiting> waiting;
        try (Connection connection = database.connect()) {
            waiting = PlanStore.waiting(connection, plan.id(), day);
        }
        for (PlanStore.Waiting meter : waiting) {
            String key = pacingKey(meter.gatewayId());
            if (out.getOrDefault(key, 0) >= perGateway) {
                continue;
            }
            TaskKind kind = plan.definition().kinds().get(meter.step());
            WorkOrder order = workOrders.submit(new WorkOrderRequest(meter.serial(), kind, argument(kind),
                    Priority.NORMAL, now, plan.definition().windowEnd(day), plan.definition().retry(), plan.origin(),
                    plan.id()));
            database.inTransaction(connection -> {
                PlanStore.markRunning(connection, plan.id(), day, meter.serial(), order.correlationId(), now);
                return null;
            });
            if (order.state().isFinal()) {
                // refused at once (the meter cannot take it): recorded now, the later completion call is a no-op
                orderEnded(order);
            } else {
                out.merge(key, 1, Integer::sum);
            }
        }
    }

    private void finishIfOver(Plan plan, Instant now) throws SQLException {
        LocalDate lastDay = plan.definition().lastDay();
        if (lastDay == null || now.isBefore(plan.definition().windowEnd(lastDay))) {
            return;
        }
        database.inTransaction(connection -> {
            if (PlanStore.unfinished(connection, plan.id()) == 0) {
                PlanStore.setState(connection, plan.id(), PlanState.DONE);
                LOG.info("Plan {} ({}) done", plan.id(), plan.definition().name());
            }
            return null;
        });
    }

    private static long argument(TaskKind kind) {
        return kind == TaskKind.READ_PROFILE || kind == TaskKind.READ_EVENTS ? LOOK_BACK_SECONDS : 0;
    }
}

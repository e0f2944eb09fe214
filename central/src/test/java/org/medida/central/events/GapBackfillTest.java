package org.medida.central.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medida.central.SampleBatches;
import org.medida.central.web.MissingIntervalCounts.Day;
import org.medida.central.workorders.OrderState;
import org.medida.central.workorders.WorkOrder;
import org.medida.central.workorders.WorkOrderRequest;
import org.medida.central.workorders.WorkOrders;
import org.medida.edge.api.Priority;
import org.medida.edge.api.TaskKind;

/** The gap watcher orders one backfill per gap the meter can still fill, and records what it can no longer fill. */
class GapBackfillTest extends EventsTestBase {

    private static final LocalDate DAY = SampleBatches.DAY;
    private static final Set<Integer> HOLE = Set.of(40, 41, 42, 43);

    private final RecordingWorkOrders orders = new RecordingWorkOrders();

    /** Records what is submitted; orders stay PENDING until the test ends them. */
    static final class RecordingWorkOrders implements WorkOrders {
        final List<WorkOrderRequest> submitted = new ArrayList<>();
        final Map<String, OrderState> states = new HashMap<>();
        final List<String> ids = new ArrayList<>();

        @Override
        public WorkOrder submit(WorkOrderRequest request) {
            String id = UUID.randomUUID().toString();
            submitted.add(request);
            ids.add(id);
            states.put(id, OrderState.PENDING);
            return order(id, request);
        }

        @Override
        public Optional<WorkOrder> find(String correlationId) {
            OrderState state = states.get(correlationId);
            int index = ids.indexOf(correlationId);
            return state == null ? Optional.empty() : Optional.of(new WorkOrder(correlationId,
                    submitted.get(index).serial(), GATEWAY, TaskKind.READ_PROFILE, 0, Priority.NORMAL, state, "",
                    GapBackfill.ORIGIN, null, 1, Instant.EPOCH, Instant.EPOCH, null, List.of(), null));
        }

        @Override
        public void onCompletion(Consumer<WorkOrder> listener) {
        }

        void endLast(OrderState state) {
            states.put(ids.get(ids.size() - 1), state);
        }

        private static WorkOrder order(String id, WorkOrderRequest request) {
            return new WorkOrder(id, request.serial(), GATEWAY, request.kind(), request.argument(), request.priority(),
                    OrderState.PENDING, "", request.origin(), null, 0, request.notBefore(), request.expiresAt(), null,
                    List.of(), null);
        }
    }

    @BeforeEach
    void meterWithAHole() throws Exception {
        ingest(profile(1, "M1", DAY, 1, 96, HOLE, 0, Set.of()));
        commission("M1", SampleBatches.MIDNIGHT);
        // entries up to 2026-11-22T00:00 are due two hours later
        clock.set(SampleBatches.MIDNIGHT.plus(Duration.ofHours(26)));
    }

    @Test
    void aGapTheMeterStillHoldsIsOrderedOnceUntilTheOrderHasEnded() throws Exception {
        GapBackfill watcher = watcher(Duration.ofDays(40));

        assertEquals(1, watcher.check());
        WorkOrderRequest request = orders.submitted.get(0);
        assertEquals("M1", request.serial());
        assertEquals(TaskKind.READ_PROFILE, request.kind());
        assertEquals(Priority.NORMAL, request.priority());
        assertEquals("gap-backfill", request.origin());
        // from 09:45, the start of the first missing interval (ending 10:00), to now (the next day 02:00)
        assertEquals(Duration.ofHours(16).plusMinutes(15).toSeconds(), request.argument());

        assertEquals(0, watcher.check(), "the first order is still outstanding");
        orders.endLast(OrderState.FAIL);
        assertEquals(1, watcher.check(), "the previous order ended without filling the gap");
        orders.endLast(OrderState.EXE);
        ingest(profile(2, "M1", DAY, 40, 43, Set.of(), 0, Set.of()));
        assertEquals(0, watcher.check(), "filled");
        assertEquals(2, orders.submitted.size());
    }

    @Test
    void aGapThatBackfillsDoNotFillIsGivenUpWithAnEvent() throws Exception {
        GapBackfill watcher = watcher(Duration.ofDays(40));
        for (int i = 0; i < 3; i++) {
            assertEquals(1, watcher.check());
            orders.endLast(OrderState.EXE);
        }
        assertEquals(0, watcher.check());
        assertEquals(0, watcher.check());

        assertEquals(3, orders.submitted.size());
        assertEquals(1, number("SELECT COUNT(*) FROM central_events WHERE name = 'gap not filled by backfill'"));
    }

    @Test
    void oneOrderPerMeterCoversAllItsGapsAndOnlyCommissionedMetersAreOrdered() throws Exception {
        ingest(profile(2, "M1", DAY.plusDays(1), 1, 8, Set.of(3), 0, Set.of()));
        ingest(profile(3, "M2", DAY, 1, 96, HOLE, 0, Set.of()));
        clock.set(SampleBatches.MIDNIGHT.plus(Duration.ofHours(28)));

        assertEquals(1, watcher(Duration.ofDays(40)).check());
        assertEquals("M1", orders.submitted.get(0).serial(), "M2 is only discovered: no order can run on it");
    }

    @Test
    void aGapOlderThanTheMetersBufferIsAnEventNotAnOrder() throws Exception {
        ingest(profile(2, "M1", DAY.plusDays(1), 1, 96, Set.of(), 0, Set.of()));
        ingest(profile(3, "M1", DAY.plusDays(2), 1, 96, Set.of(), 0, Set.of()));
        clock.set(SampleBatches.MIDNIGHT.plus(Duration.ofHours(3 * 24 + 2)));
        GapBackfill watcher = watcher(Duration.ofDays(1));

        assertEquals(0, watcher.check());
        assertEquals(0, watcher.check());

        assertEquals(List.of(), orders.submitted);
        assertEquals(1, number("SELECT COUNT(*) FROM central_events WHERE source = 'gap' AND code = 1"));
        assertEquals("4 intervals of 2026-11-21 missing and no longer in the meter's 1-day profile buffer",
                text("SELECT detail FROM central_events WHERE source = 'gap'"));
        assertEquals(1, number("SELECT COUNT(*) FROM alarms"), "an unrecoverable gap is a minor alarm by default");
    }

    @Test
    void intervalsTheGatewayReportedTheMeterHasNotAreNotOrdered() throws Exception {
        ingest(SampleBatches.gaps(2, "M1"));

        assertEquals(0, watcher(Duration.ofDays(40)).check());
    }

    @Test
    void theHeatmapCountsDueAndMissingIntervalsPerMeterAndDayOfMetersInService() throws Exception {
        ingest(profile(2, "M2", DAY.plusDays(1), 1, 4, Set.of(2), 0, Set.of()));
        ingest(profile(3, "M3", DAY, 1, 96, Set.of(), 0, Set.of()));
        execute("UPDATE meters SET state = 'decommissioned' WHERE serial = 'M3'");
        clock.set(SampleBatches.MIDNIGHT.plus(Duration.ofHours(24 + 3)));
        MissingIntervals missing = new MissingIntervals(database, clock, Duration.ofHours(2));

        Map<String, Map<LocalDate, Day>> counts = missing.perMeterPerDay(GATEWAY, DAY.minusDays(1), DAY.plusDays(1));

        assertEquals(List.of("M1", "M2"), List.copyOf(counts.keySet()), "M3 is decommissioned");
        assertEquals(Map.of(DAY.minusDays(1), new Day(0, 0), DAY, new Day(96, 4), DAY.plusDays(1), new Day(4, 4)),
                counts.get("M1"), "M1: nothing before its commissioning, the hole, then 00:15-01:00 (due by 01:00)");
        assertEquals(Map.of(DAY.minusDays(1), new Day(0, 0), DAY, new Day(0, 0), DAY.plusDays(1), new Day(4, 1)),
                counts.get("M2"), "M2: expected from its first stored interval");
    }

    @Test
    void badSettingsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GapBackfill.Settings(Duration.ZERO, Duration.ofHours(1), Duration.ofMinutes(1), 3));
        assertEquals(true, e.getMessage().contains("buffer depth"), e.getMessage());
    }

    private GapBackfill watcher(Duration bufferDepth) {
        return new GapBackfill(database, orders, clock, new GapBackfill.Settings(bufferDepth, Duration.ofHours(2),
                Duration.ofMinutes(15), 3));
    }

    private void commission(String serial, Instant at) throws SQLException {
        execute("UPDATE meters SET state = 'commissioned', state_since = " + at.toEpochMilli() + " WHERE serial = '"
                + serial + "'");
    }
}

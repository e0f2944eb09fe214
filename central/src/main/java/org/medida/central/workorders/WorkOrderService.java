package org.medida.central.workorders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.medida.central.db.Database;
import org.medida.central.events.CentralEvents;
import org.medida.central.events.EventType;
import org.medida.central.ingest.IngestListener;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.protocol.CommandSigner;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Central's work orders (W1-W5, R1, M5, X2). An order is validated and stored when submitted; one scheduler thread
 * sends due orders (high priority first) as signed command requests to their gateway when it is online, or to the
 * point-to-point link, and sweeps expiries and unanswered orders. Outcomes arrive from the ingest (in its
 * transaction, so an outcome and the order's new state commit together) or from the point-to-point link; a failed
 * attempt is retried by the order's policy. Completion listeners run after the final state is committed, on the
 * scheduler thread.
 */
public final class WorkOrderService implements WorkOrders, IngestListener, AutoCloseable {

    /** How the service sends a command request to a gateway: the ingest's {@code publish}. */
    @FunctionalInterface
    public interface Publisher {
        void publish(String topic, byte[] payload) throws MqttException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(WorkOrderService.class);
    /** How long central waits for a gateway's outcome by default: a PLC meter read with retries takes minutes. */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration TICK = Duration.ofMillis(500);
    private static final int DISPATCH_BATCH = 200;
    private static final String REACHED = "UPDATE meters SET reachable = 1, last_success = ? WHERE serial = ?";
    private static final String NOT_REACHED = "UPDATE meters SET reachable = 0, last_failure = ?, "
            + "last_failure_reason = ? WHERE serial = ?";
    private static final String RELAY = "UPDATE meters SET relay_closed = ? WHERE serial = ?";

    private final Database database;
    private final Publisher publisher;
    private final OnDemandWork pointToPoint;
    private final CommandSigner signer;
    private final Duration responseTimeout;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final List<Consumer<WorkOrder>> listeners = new CopyOnWriteArrayList<>();
    /** Orders made final inside the ingest's open transaction (writer thread only), announced once it commits. */
    private final Set<String> finishedInIngest = new HashSet<>();

    /**
     * Starts the scheduler.
     *
     * @param pointToPoint    the link to point-to-point meters, or null if central has none
     * @param responseTimeout how long a sent attempt may wait for its outcome before it counts as failed
     */
    public WorkOrderService(Database database, Publisher publisher, OnDemandWork pointToPoint, CommandSigner signer,
            Duration responseTimeout, Clock clock) {
        this.database = database;
        this.publisher = publisher;
        this.pointToPoint = pointToPoint;
        this.signer = signer;
        this.responseTimeout = responseTimeout;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "central-work-orders");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> guarded("sweep", this::sweep), TICK.toMillis(), TICK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public WorkOrder submit(WorkOrderRequest request) throws SQLException {
        String correlationId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        Submitted submitted = database.inTransaction(connection -> {
            MeterCheck.Result check = MeterCheck.check(connection, request.serial(), request.kind(),
                    pointToPoint != null);
            if (check.valid() && !request.expiresAt().isAfter(now)) {
                check = MeterCheck.Result.invalid(EventType.WORK_ORDER_EXPIRED, "expired");
            }
            if (!check.valid()) {
                WorkOrderTable.insert(connection, correlationId, request, check.gatewayId(), OrderState.FAIL,
                        check.reason(), now);
                CentralEvents.record(connection, OrderFailure.event(check.failure(), correlationId, request.serial(),
                        null, now, check.reason()), now);
                return Submitted.FAILED;
            }
            WorkOrderTable.insert(connection, correlationId, request, check.gatewayId(), OrderState.PENDING, "", now);
            // Due now and its gateway online: marked sent in the same commit, and sent at once below.
            boolean due = !request.notBefore().isAfter(now)
                    && (check.pointToPoint() || WorkOrderTable.gatewayOnline(connection, check.gatewayId()));
            return due && WorkOrderTable.markSent(connection, WorkOrderTable.row(connection, correlationId)
                    .orElseThrow(), now) ? Submitted.SENT : Submitted.PENDING;
        });
        LOG.info("Work order {}: {} on {} from {}{}", correlationId, request.kind(), request.serial(),
                request.origin(), submitted == Submitted.FAILED ? " not valid" : "");
        switch (submitted) {
            case FAILED -> announce(Set.of(correlationId));
            case SENT -> {
                WorkOrderTable.Row sent;
                try (Connection connection = database.connect()) {
                    sent = WorkOrderTable.row(connection, correlationId).orElseThrow();
                }
                deliver(sent, now);
            }
            case PENDING -> post("dispatch", this::dispatch);
        }
        return find(correlationId).orElseThrow();
    }

    /** What became of a submitted order in its first transaction. */
    private enum Submitted { FAILED, PENDING, SENT }

    @Override
    public Optional<WorkOrder> find(String correlationId) throws SQLException {
        try (Connection connection = database.connect()) {
            Optional<WorkOrderTable.Row> row = WorkOrderTable.row(connection, correlationId);
            if (row.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(row.get().toOrder(WorkOrderTable.registers(connection, database.dialect(),
                    correlationId)));
        }
    }

    /** Orders newest first, optionally of one meter and/or in one state, at most {@code limit}. */
    public List<WorkOrder> list(String serial, OrderState state, int limit) throws SQLException {
        try (Connection connection = database.connect()) {
            List<WorkOrder> orders = new ArrayList<>();
            for (WorkOrderTable.Row row : WorkOrderTable.list(connection, serial, state, limit)) {
                orders.add(row.toOrder(WorkOrderTable.registers(connection, database.dialect(),
                        row.correlationId())));
            }
            return orders;
        }
    }

    @Override
    public void onCompletion(Consumer<WorkOrder> listener) {
        listeners.add(listener);
    }

    // ---- from the ingest ----

    @Override
    public void outcomeStored(Connection connection, String gatewayId, TaskOutcome outcome, Instant now)
            throws SQLException {
        applyOutcome(connection, outcome, now).ifPresent(finishedInIngest::add);
    }

    @Override
    public void outcomeCommitted(String gatewayId, TaskOutcome outcome) {
        String correlationId = AttemptId.parse(outcome.correlationId()).correlationId();
        if (finishedInIngest.remove(correlationId)) {
            announce(Set.of(correlationId));
        } else {
            post("dispatch", this::dispatch); // a retry may be due
        }
    }

    @Override
    public void statusCommitted(String gatewayId, GatewayStatus status) {
        if (status.online()) {
            post("dispatch", this::dispatch);
        }
    }

    // ---- the scheduler ----

    private void sweep() throws SQLException {
        Instant now = clock.instant();
        Set<String> finished = database.inTransaction(connection -> {
            Set<String> made = new HashSet<>(); // per attempt: a rolled back one finished nothing
            for (WorkOrderTable.Row order : WorkOrderTable.expired(connection, now)) {
                if (finish(connection, order, OrderState.FAIL, "expired", EventType.WORK_ORDER_EXPIRED, now)) {
                    made.add(order.correlationId());
                }
            }
            for (WorkOrderTable.Row order : WorkOrderTable.sentBefore(connection, now.minus(responseTimeout))) {
                String reason = order.gatewayId() == null ? "no answer from point-to-point link"
                        : "no answer from gateway";
                if (failAttempt(connection, order, reason, EventType.NO_ANSWER_FROM_GATEWAY, now)) {
                    made.add(order.correlationId());
                }
            }
            return made;
        });
        announce(finished);
        dispatch();
    }

    private void dispatch() throws SQLException {
        Instant now;
        List<WorkOrderTable.Row> due;
        try (Connection connection = database.connect()) {
            // The time is read once the connection is there: getting one can take long enough (a new PostgreSQL
            // connection) for a gateway to come online and a newer HIGH order to be stored meanwhile, which the query
            // would then see but skip as not yet due, sending an older NORMAL one before it.
            now = clock.instant();
            due = WorkOrderTable.due(connection, now, DISPATCH_BATCH);
        }
        for (WorkOrderTable.Row order : due) {
            send(order, now);
        }
    }

    private void send(WorkOrderTable.Row order, Instant now) throws SQLException {
        if (database.inTransaction(connection -> WorkOrderTable.markSent(connection, order, now))) {
            deliver(WorkOrderTable.Row.sentAgain(order), now);
        }
    }

    /** Hands an order marked SENT (its {@code attempts} counting this attempt) to its gateway or link. */
    private void deliver(WorkOrderTable.Row order, Instant now) throws SQLException {
        int attempt = order.attempts();
        MeterTask task = new MeterTask(AttemptId.of(order.correlationId(), attempt), order.serial(), order.kind(),
                order.argument(), order.priority(), order.expiresAt());
        if (order.gatewayId() == null) {
            sendDirect(task, now);
            return;
        }
        byte[] request = Payloads.encodeSignedTask(task, now, UUID.randomUUID().toString(), signer);
        try {
            publisher.publish(Topics.commandRequest(order.gatewayId()), request);
            LOG.debug("Work order {} attempt {} sent to gateway {}", order.correlationId(), attempt, order.gatewayId());
        } catch (MqttException e) {
            // Central is not connected to the broker now: the order waits and goes out on a later sweep.
            LOG.warn("Work order {} not sent to gateway {} ({}); it waits", order.correlationId(), order.gatewayId(),
                    e.getMessage());
            database.inTransaction(connection -> {
                WorkOrderTable.unsend(connection, order.correlationId(), attempt);
                return true;
            });
        }
    }

    private void sendDirect(MeterTask task, Instant now) {
        CompletionStage<TaskOutcome> running;
        try {
            running = pointToPoint.submit(task);
        } catch (RuntimeException e) {
            running = CompletableFuture.completedFuture(
                    TaskOutcome.failed(task, "point-to-point link failed: " + e.getMessage(), now));
        }
        running.whenComplete((outcome, failure) -> post("point-to-point outcome", () -> {
            TaskOutcome result = outcome != null ? outcome
                    : TaskOutcome.failed(task, "point-to-point link failed: " + failure, clock.instant());
            Optional<String> finished = database.inTransaction(connection -> applyOutcome(connection, result,
                    clock.instant()));
            announce(finished.map(Set::of).orElse(Set.of()));
        }));
    }

    // ---- outcomes ----

    /** Applies an attempt's outcome; returns the order's correlation id if the order is now final. */
    private Optional<String> applyOutcome(Connection connection, TaskOutcome outcome, Instant now)
            throws SQLException {
        AttemptId attempt = AttemptId.parse(outcome.correlationId());
        Optional<WorkOrderTable.Row> found = WorkOrderTable.row(connection, attempt.correlationId());
        if (found.isEmpty() || found.get().state().isFinal() || attempt.attempt() > found.get().attempts()) {
            return Optional.empty(); // not an order of central's, or one already settled
        }
        WorkOrderTable.Row order = found.get();
        boolean latest = attempt.attempt() == order.attempts() && order.state() == OrderState.SENT;
        if (outcome.status() == TaskStatus.FAIL) {
            if (!latest) {
                return Optional.empty(); // an earlier attempt's failure; a later one is under way
            }
            EventType failure = OrderFailure.of(outcome.detail());
            if (OrderFailure.meterNotReached(failure)) {
                update(connection, NOT_REACHED, now.toEpochMilli(), outcome.detail(), order.serial());
            }
            return failAttempt(connection, order, outcome.detail(), failure, now)
                    ? Optional.of(order.correlationId()) : Optional.empty();
        }
        WorkOrderTable.storeResult(connection, database.dialect(), order.correlationId(), outcome.registers(),
                outcome.supplyState());
        update(connection, REACHED, now.toEpochMilli(), order.serial());
        if (outcome.supplyState() != null) {
            update(connection, RELAY, outcome.supplyState().relayClosed() ? 1 : 0, order.serial());
        }
        OrderState state = outcome.status() == TaskStatus.EXE ? OrderState.EXE : OrderState.WARN;
        return finish(connection, order, state, outcome.detail(), null, now) ? Optional.of(order.correlationId())
                : Optional.empty();
    }

    /**
     * A failed attempt: retried after the policy's pause if attempts remain and the retry can start before the
     * expiry, else the order fails. Returns whether the order is now final.
     */
    private boolean failAttempt(Connection connection, WorkOrderTable.Row order, String reason, EventType failure,
            Instant now) throws SQLException {
        Instant retryAt = now.plusSeconds(order.retryAfterSeconds());
        boolean retry = OrderFailure.retryable(failure) && order.attempts() < order.maxAttempts()
                && retryAt.isBefore(order.expiresAt());
        if (retry) {
            WorkOrderTable.retryAt(connection, order, reason, retryAt);
            LOG.info("Work order {} attempt {} failed ({}), retry at {}", order.correlationId(), order.attempts(),
                    reason, retryAt);
            return false;
        }
        return finish(connection, order, OrderState.FAIL, reason, failure, now);
    }

    private boolean finish(Connection connection, WorkOrderTable.Row order, OrderState state, String reason,
            EventType failure, Instant now) throws SQLException {
        if (!WorkOrderTable.finish(connection, order.correlationId(), state, reason, now)) {
            return false;
        }
        if (failure != null) {
            CentralEvents.record(connection, OrderFailure.event(failure, order.correlationId(), order.serial(),
                    order.gatewayId(), now, reason), now);
        }
        LOG.info("Work order {} {} {}", order.correlationId(), state, reason);
        return true;
    }

    private static void update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            update.executeUpdate();
        }
    }

    // ---- plumbing ----

    private void announce(Set<String> finished) {
        if (finished.isEmpty() || listeners.isEmpty()) {
            return;
        }
        post("completion listeners", () -> {
            for (String correlationId : finished) {
                Optional<WorkOrder> order = find(correlationId);
                for (Consumer<WorkOrder> listener : listeners) {
                    order.ifPresent(listener);
                }
            }
        });
    }

    private interface Step {
        void run() throws SQLException;
    }

    private void post(String what, Step step) {
        try {
            scheduler.execute(() -> guarded(what, step));
        } catch (RejectedExecutionException e) {
            LOG.debug("Work orders stopped; {} dropped", what);
        }
    }

    /** Runs a step on the scheduler; a failing step is logged and the next sweep tries again. */
    private static void guarded(String what, Step step) {
        try {
            step.run();
        } catch (SQLException | RuntimeException e) {
            LOG.error("Work orders: {} failed: {}", what, e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdownNow();
        }
    }
}

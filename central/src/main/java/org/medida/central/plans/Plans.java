package org.medida.central.plans;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.medida.central.db.Database;
import org.medida.central.web.FeatureRoutes;
import org.medida.central.workorders.WorkOrders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mass read plans feature, running: the default daily plan ensured, the {@link PlanRunner} on one thread (a
 * round every {@code round}, and a refill after ended orders so freed gateway slots are taken at once),
 * the {@link ResultDeliverer} on another when a webhook is configured (its HTTP calls never hold up the plans).
 */
public final class Plans implements AutoCloseable {

    /**
     * @param resultsWebhook where results are POSTed, or null to leave them at {@code GET /api/plans/{id}/results}
     * @param redeliverAfter how long a result the webhook did not take waits before it is re-injected (P4: 1 h)
     * @param round          how often the plans are looked at
     * @param perGateway     orders of all plans out at once per gateway
     */
    public record Settings(URI resultsWebhook, Duration redeliverAfter, Duration round, int perGateway) {

        /** Re-injection after a failed delivery (P4). */
        public static final long DEFAULT_RETRY_SECONDS = 3600;

        /**
         * The settings of the command line: {@code --results-webhook} (an http or https URL, or null) and
         * {@code --results-retry-seconds}; the rest default (a round every 5 s, 20 orders out per gateway).
         *
         * @throws IllegalArgumentException naming the option that is wrong
         */
        public static Settings of(String resultsWebhook, long retrySeconds) {
            if (retrySeconds < 1) {
                throw new IllegalArgumentException("--results-retry-seconds must be at least 1: " + retrySeconds);
            }
            return new Settings(resultsWebhook == null ? null : webhook(resultsWebhook),
                    Duration.ofSeconds(retrySeconds), Duration.ofSeconds(5), 20);
        }

        private static URI webhook(String text) {
            try {
                URI uri = new URI(text);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // reported below with the other malformed URLs
            }
            throw new IllegalArgumentException("--results-webhook must be an http or https URL like "
                    + "https://mdm.example/medida/results: " + text);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Plans.class);

    private final PlanService service;
    private final PlanRunner runner;
    private final ResultDeliverer deliverer;
    private final ScheduledExecutorService planThread = Executors.newSingleThreadScheduledExecutor(
            task -> new Thread(task, "plans"));
    private final ScheduledExecutorService deliveryThread;
    private final AtomicBoolean refillAsked = new AtomicBoolean();
    private final AtomicBoolean deliveryAsked = new AtomicBoolean();

    private Plans(PlanService service, PlanRunner runner, ResultDeliverer deliverer) {
        this.service = service;
        this.runner = runner;
        this.deliverer = deliverer;
        this.deliveryThread = deliverer == null ? null : Executors.newSingleThreadScheduledExecutor(
                task -> new Thread(task, "plan-results"));
    }

    /** Ensures the default plan and starts running the plans, submitting through {@code workOrders}. */
    public static Plans start(Database database, WorkOrders workOrders, Settings settings, Clock clock)
            throws SQLException {
        PlanService service = new PlanService(database, clock);
        service.ensureDailyBillingRead();
        ResultDeliverer deliverer = settings.resultsWebhook() == null ? null
                : new ResultDeliverer(database, settings.resultsWebhook(), settings.redeliverAfter(), clock);
        Plans plans = new Plans(service, new PlanRunner(database, workOrders, clock, settings.perGateway()),
                deliverer);
        workOrders.onCompletion(order -> plans.onPlanThread(() -> {
            plans.runner.orderEnded(order);
            plans.askRefill();
            plans.askDelivery();
        }));
        long round = settings.round().toMillis();
        plans.planThread.scheduleWithFixedDelay(() -> plans.guarded("plan round", () -> {
            plans.runner.runOnce();
            plans.askDelivery();
        }), 0, round, TimeUnit.MILLISECONDS);
        if (deliverer != null) {
            plans.deliveryThread.scheduleWithFixedDelay(() -> plans.guarded("result delivery", deliverer::deliverDue),
                    round, round, TimeUnit.MILLISECONDS);
        }
        return plans;
    }

    public PlanService service() {
        return service;
    }

    /** The plans' HTTP API. */
    public FeatureRoutes routes() {
        return new PlanRoutes(service);
    }

    @Override
    public void close() throws InterruptedException {
        planThread.shutdownNow();
        planThread.awaitTermination(10, TimeUnit.SECONDS);
        if (deliveryThread != null) {
            deliveryThread.shutdownNow();
            deliveryThread.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void askRefill() {
        if (refillAsked.compareAndSet(false, true)) {
            onPlanThread(() -> {
                refillAsked.set(false);
                runner.refill();
            });
        }
    }

    private void askDelivery() {
        if (deliveryThread != null && deliveryAsked.compareAndSet(false, true)) {
            submit(deliveryThread, "result delivery", () -> {
                deliveryAsked.set(false);
                deliverer.deliverDue();
            });
        }
    }

    private void onPlanThread(Step step) {
        submit(planThread, "plan round", step);
    }

    private void submit(ScheduledExecutorService thread, String what, Step step) {
        try {
            thread.execute(() -> guarded(what, step));
        } catch (RejectedExecutionException e) {
            // closing: the next start picks the work up from the database (ended orders through WorkOrders.find)
            LOG.debug("{} after close: left for the next start", what);
        }
    }

    /** Runs a step, logging what fails: a scheduled task that throws would never run again. */
    private void guarded(String what, Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("{} failed: {}", what, e.toString(), e);
        }
    }
}

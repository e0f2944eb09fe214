package org.medida.edge.dlms;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.medida.edge.api.DriverResult;
import org.medida.edge.api.Failure;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.MeterAccessException;
import org.medida.edge.api.MeterConversation;
import org.medida.edge.api.MeterDriver;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.Priority;
import org.openmuc.jdlms.DlmsConnection;

/**
 * The DLMS/COSEM {@link MeterDriver} on jDLMS, usable with or without OSGi. Each conversation gets its own
 * association, which is always closed afterwards. A conversation that timed out or could not connect is queued again
 * on its channel after a growing pause, up to the configured number of retries, unless it had already changed the
 * meter.
 */
public final class DlmsMeterDriver implements MeterDriver, AutoCloseable {

    private final DriverSettings settings;
    private final ChannelScheduler scheduler;
    private final MeterConnector connector;
    private final InvocationCounters counters;
    private final Set<String> metersWithoutRangeAccess = ConcurrentHashMap.newKeySet();
    /** Saves the two round trips for a profile's capture objects and period on every read after the first. */
    private final Map<String, ProfileReader.Shape> profileShapes = new ConcurrentHashMap<>();

    public DlmsMeterDriver(DriverSettings settings) {
        this.settings = settings;
        this.scheduler = new ChannelScheduler(settings.parallelChannels());
        this.connector = new MeterConnector(settings);
        this.counters = new InvocationCounters(settings.stateDirectory());
    }

    /** Queues the conversation on the meter's channel; the arguments must not be null. */
    @Override
    public <T> CompletionStage<DriverResult<T>> submit(MeterRef meter, Priority priority,
            MeterConversation<T> conversation) {
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(conversation, "conversation");
        Submission<T> submission = new Submission<>(meter, priority, conversation);
        scheduler.submit(meter.link().channel(), priority, submission);
        return submission.result;
    }

    /**
     * A conversation on its way through the channel: each attempt holds the channel, the pause before a retry does
     * not, so that other work, above all HIGH work, goes ahead meanwhile.
     */
    private final class Submission<T> implements ChannelScheduler.Job {
        private final MeterRef meter;
        private final Priority priority;
        private final MeterConversation<T> conversation;
        private final CompletableFuture<DriverResult<T>> result = new CompletableFuture<>();
        /** Only the attempt running on the channel touches it; the scheduler hands it on from one to the next. */
        private int retriesDone;

        Submission(MeterRef meter, Priority priority, MeterConversation<T> conversation) {
            this.meter = meter;
            this.priority = priority;
            this.conversation = conversation;
        }

        @Override
        public void run() {
            try {
                Attempt<T> outcome = converse(meter, conversation);
                if (outcome.worthRetrying() && retriesDone < settings.retries()) {
                    Duration pause = settings.retryBackoff().multipliedBy(1L << retriesDone++);
                    scheduler.submitAfter(pause, meter.link().channel(), priority, this);
                } else {
                    result.complete(outcome.result());
                }
            } catch (Error e) {
                // even a JVM error in the conversation must not leave the caller waiting forever
                result.complete(DriverResult.failed(FailureKind.METER_ERROR, "the conversation broke off"));
                throw e;
            }
        }

        @Override
        public void abandon() {
            result.complete(DriverResult.failed(FailureKind.UNREACHABLE, "the driver has stopped"));
        }
    }

    private record Attempt<T>(DriverResult<T> result, boolean worthRetrying) {
    }

    /** One association: open, run the conversation, close; whatever goes wrong becomes a typed failure. */
    private <T> Attempt<T> converse(MeterRef meter, MeterConversation<T> conversation) {
        InvocationCounters.Reservation reservation = null;
        DlmsConnection connection = null;
        Requests requests = null;
        try {
            reservation = reserveCounters(meter);
            connection = connector.open(meter, reservation);
            requests = new Requests(connection);
            T value = conversation.run(
                    new DlmsMeterSession(meter, requests, metersWithoutRangeAccess, profileShapes));
            return new Attempt<>(DriverResult.success(value), false);
        } catch (MeterAccessException e) {
            boolean transientFailure = e.failure().kind() == FailureKind.TIMEOUT
                    || e.failure().kind() == FailureKind.UNREACHABLE;
            return new Attempt<>(new DriverResult.Failed<>(e.failure()),
                    transientFailure && (requests == null || !requests.changedMeter()));
        } catch (RuntimeException e) {
            return new Attempt<>(new DriverResult.Failed<>(new Failure(FailureKind.MALFORMED_RESPONSE,
                    "unexpected answer: " + e)), false);
        } catch (LinkageError e) {
            // jDLMS imports its serial port API (org.openmuc.jrxtx) optionally: without it, no serial meter is reached
            return new Attempt<>(new DriverResult.Failed<>(new Failure(FailureKind.UNREACHABLE,
                    "a library the link needs is missing: " + e)), false);
        } finally {
            // the meter drops an association it no longer hears from, and an unreleased reservation only
            // leaves a gap in the counters: neither failure changes the result
            closeQuietly(connection);
            closeQuietly(reservation);
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            // see converse
        }
    }

    /** HLS5 associations need fresh invocation counters; the other levels use none. */
    private InvocationCounters.Reservation reserveCounters(MeterRef meter) throws MeterAccessException {
        if (meter.security().level() != MeterSecurity.Level.HLS5_GMAC) {
            return null;
        }
        try {
            return counters.reserve(meter.serial());
        } catch (IOException | RuntimeException e) {
            throw new MeterAccessException(FailureKind.METER_ERROR,
                    "cannot reserve invocation counters in " + settings.stateDirectory() + ": " + e.getMessage());
        }
    }

    /** Stops taking work; waiting and pausing conversations complete as failed, running ones may finish. */
    @Override
    public void close() {
        scheduler.close();
    }
}

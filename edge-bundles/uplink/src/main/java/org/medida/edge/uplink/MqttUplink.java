package org.medida.edge.uplink;

import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.medida.edge.api.Batch;
import org.medida.edge.api.BatchLimits;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterInventory;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.ReadingStore;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.protocol.BatchAck;
import org.medida.protocol.CommandRequest;
import org.medida.protocol.CommandVerifier;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.InventoryChange;
import org.medida.protocol.InventoryResult;
import org.medida.protocol.MalformedPayloadException;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;

/**
 * The gateway's MQTT link to central (docs/protocol.md). It takes batches from the {@link ReadingStore}, publishes
 * them with QoS 1 and confirms each in the store, which deletes its rows, only when central acknowledged that it
 * committed it. At most {@link UplinkSettings#inFlightBatches()} batches await their acknowledgement, so the gateway
 * never sends faster than central stores. A batch without acknowledgement in time, or out when the connection
 * drops, is released and goes out again later under the same id. Paho keeps nothing itself (memory persistence,
 * clean session): the store is the only buffer.
 * <p>
 * Each connection gets a new session number; the last will {@code status(offline, n)} and the retained birth
 * {@code status(online, n)} carry it. Lost connections are retried with exponential backoff and jitter; each
 * problem is logged once, when it first appears. Command requests from central run on {@link OnDemandWork}; their
 * outcomes go to central ahead of any batch, and wait in memory while the gateway is offline. Inventory changes
 * from central are applied to the {@link MeterInventory} and answered the same way. Supply-state commands run only
 * when signed by central and not replayed ({@link CommandGuard}).
 * <p>
 * All state lives on one thread, the loop: Paho's callbacks and the collector's completions only hand events to it.
 * Nothing a peer sends can stop it: malformed messages are logged and ignored or answered.
 */
public final class MqttUplink implements AutoCloseable {

    static final String LOGGER = "org.medida.edge.uplink";
    /** The serial in an answer to a command request whose serial could not be read. */
    static final String UNKNOWN_SERIAL = "unknown";
    static final String SOFTWARE = "medida-edge-uplink/1";

    private static final System.Logger LOG = System.getLogger(LOGGER);
    private static final Duration TICK = Duration.ofMillis(200);
    /** How long an empty store rests before it is asked again: new rows wait at most this long. */
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final int OUTCOME_CAPACITY = 256;
    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    private static final long CLOSE_TIMEOUT_MILLIS = 5000;
    /** Reasons in outcomes are bounded by the protocol (1024 bytes); this many characters always fit. */
    private static final int MAX_REASON_CHARS = 250;

    private enum State { DISCONNECTED, CONNECTING, ONLINE }

    private final UplinkSettings settings;
    private final ReadingStore store;
    private final Supplier<Optional<OnDemandWork>> onDemandWork;
    private final CommandGuard guard;
    private final SessionCounter sessions;
    private final Backoff backoff;
    private final BatchLimits limits;
    private final String batchTopic;
    private final String statusTopic;
    private final String ackTopic;
    private final String requestTopic;
    private final String resultTopic;
    private final String inventoryTopic;
    private final String inventoryResultTopic;
    private final Supplier<Optional<MeterInventory>> meterInventory;
    private final int batchTopicBytes;
    private final ScheduledExecutorService loop;
    private final MqttAsyncClient client;

    // Loop thread only.
    private final Map<Long, Batch> inFlight = new LinkedHashMap<>();
    private final Map<Long, Long> ackDeadlines = new LinkedHashMap<>();
    private final Set<Long> refused = new HashSet<>();
    private final OutcomeQueue outcomes = new OutcomeQueue(OUTCOME_CAPACITY);
    private State state = State.DISCONNECTED;
    private boolean reconnectScheduled;
    private boolean drainScheduled;
    private boolean closing;
    private long session;
    private long idleUntilNanos = System.nanoTime();
    private long nextPublishNanos = System.nanoTime();
    private boolean ackTimeoutsReported;
    private String lastProblem = "";
    private String lastStoreProblem = "";
    private long publishedBatches;
    private long publishedEntries;
    private long publishedValues;
    private long publishedBytes;
    private long confirmedBatches;
    private long ackTimeouts;
    private Instant lastAck;

    private volatile UplinkStatus status;

    /**
     * Starts the uplink: it connects in the background and keeps reconnecting until {@link #close()}.
     *
     * @param onDemandWork the collector's on-demand work, when it runs (command requests fail without it)
     * @throws IllegalArgumentException if the settings cannot make a client (bad URL, unreadable key stores)
     */
    public MqttUplink(UplinkSettings settings, ReadingStore store, Supplier<Optional<OnDemandWork>> onDemandWork) {
        this(settings, store, onDemandWork, Optional::empty, Optional.empty());
    }

    /** Starts the uplink, also applying central's inventory changes to {@code meterInventory}. */
    public MqttUplink(UplinkSettings settings, ReadingStore store, Supplier<Optional<OnDemandWork>> onDemandWork,
            Supplier<Optional<MeterInventory>> meterInventory) {
        this(settings, store, onDemandWork, meterInventory, Optional.empty());
    }

    /** Starts the uplink with central's command key: supply-state commands run only if signed with it. */
    public MqttUplink(UplinkSettings settings, ReadingStore store, Supplier<Optional<OnDemandWork>> onDemandWork,
            Optional<CommandVerifier> centralKey) {
        this(settings, store, onDemandWork, Optional::empty, centralKey);
    }

    /**
     * Starts the uplink.
     *
     * @param meterInventory the gateway's meter table, when it runs (inventory changes fail without it)
     * @param centralKey     central's public command key; without it every supply-state command is refused
     */
    public MqttUplink(UplinkSettings settings, ReadingStore store, Supplier<Optional<OnDemandWork>> onDemandWork,
            Supplier<Optional<MeterInventory>> meterInventory, Optional<CommandVerifier> centralKey) {
        this.settings = settings;
        this.guard = new CommandGuard(centralKey, new ReplayMemory(settings.stateDirectory(), Instant.now()));
        this.store = store;
        this.onDemandWork = onDemandWork;
        this.meterInventory = meterInventory;
        this.sessions = new SessionCounter(settings.stateDirectory());
        this.backoff = new Backoff(settings.reconnectMinBackoff(), settings.reconnectMaxBackoff(),
                RandomGenerator.getDefault());
        this.limits = new BatchLimits(settings.maxEntriesPerBatch());
        String gateway = settings.gatewayId();
        this.batchTopic = Topics.batch(gateway);
        this.statusTopic = Topics.status(gateway);
        this.ackTopic = Topics.ack(gateway);
        this.requestTopic = Topics.commandRequest(gateway);
        this.resultTopic = Topics.commandResult(gateway);
        this.inventoryTopic = Topics.inventoryRequest(gateway);
        this.inventoryResultTopic = Topics.inventoryResult(gateway);
        this.batchTopicBytes = batchTopic.getBytes(StandardCharsets.UTF_8).length;
        settings.tls().ifPresent(TlsSockets::from);
        try {
            this.client = new MqttAsyncClient(settings.brokerUrl(), gateway, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("cannot make an MQTT client for " + settings.brokerUrl() + ": " + e, e);
        }
        client.setCallback(new Callback());
        this.loop = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "medida-uplink-" + gateway);
            thread.setDaemon(true);
            return thread;
        });
        refreshStatus();
        post(this::connect);
        loop.scheduleWithFixedDelay(() -> guarded(this::tick), TICK.toMillis(), TICK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** What the uplink is doing now. */
    public UplinkStatus status() {
        return status;
    }

    /**
     * Stops the uplink: batches awaiting their acknowledgement are released, the status is set offline (retained,
     * as a clean disconnect sends no last will) and the connection is closed.
     */
    @Override
    public void close() {
        try {
            Future<?> shutdown = loop.submit(() -> guarded(this::shutdown));
            shutdown.get(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.log(Level.WARNING, "uplink of gateway " + settings.gatewayId() + " did not stop cleanly: " + e);
        } finally {
            loop.shutdownNow();
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.log(Level.DEBUG, "closing the MQTT client: " + e);
            }
        }
    }

    // ---- connection ----

    private void connect() {
        reconnectScheduled = false;
        if (closing || state != State.DISCONNECTED) {
            return;
        }
        state = State.CONNECTING;
        try {
            long next = sessions.next();
            session = next;
            client.connect(connectOptions(next), null, listener(
                    token -> post(() -> connected(next)),
                    failure -> post(() -> connectFailed(failure))));
        } catch (MqttException | RuntimeException e) {
            connectFailed(e);
        }
    }

    private MqttConnectOptions connectOptions(long sessionNumber) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval((int) Math.max(1, settings.keepAlive().toSeconds()));
        options.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
        options.setMaxInflight(settings.inFlightBatches() + OUTCOME_CAPACITY + 2);
        options.setWill(statusTopic, statusPayload(false, sessionNumber), 1, true);
        if (!settings.username().isEmpty()) {
            options.setUserName(settings.username());
            options.setPassword(settings.password().toCharArray());
        }
        if (settings.tls().isPresent()) {
            options.setSocketFactory(NoDelaySockets.tls(TlsSockets.from(settings.tls().get())));
        } else if (settings.brokerUrl().startsWith("ssl://")) {
            options.setSocketFactory(NoDelaySockets.tls((SSLSocketFactory) SSLSocketFactory.getDefault()));
        } else {
            options.setSocketFactory(NoDelaySockets.plain());
        }
        return options;
    }

    private void connected(long sessionNumber) {
        if (closing || state != State.CONNECTING || sessionNumber != session) {
            return;
        }
        try {
            client.subscribe(new String[] { ackTopic, requestTopic, inventoryTopic }, new int[] { 1, 1, 1 }, null, listener(
                    token -> post(() -> subscribed(sessionNumber, token.getGrantedQos())),
                    failure -> post(() -> subscriptionRefused(sessionNumber, String.valueOf(failure)))));
        } catch (MqttException e) {
            connectionLost(e);
        }
    }

    private void subscribed(long sessionNumber, int[] grantedQos) {
        if (closing || state != State.CONNECTING || sessionNumber != session) {
            return;
        }
        for (int qos : grantedQos) {
            if (qos > 2) {
                subscriptionRefused(sessionNumber, "the broker refused the subscription to " + ackTopic + ", "
                        + requestTopic + " and " + inventoryTopic + " (ACL?)");
                return;
            }
        }
        try {
            client.publish(statusTopic, statusPayload(true, sessionNumber), 1, true);
        } catch (MqttException e) {
            connectionLost(e);
            return;
        }
        state = State.ONLINE;
        backoff.reset();
        lastProblem = "";
        idleUntilNanos = System.nanoTime();
        LOG.log(Level.INFO, "gateway " + settings.gatewayId() + " connected to " + settings.brokerUrl()
                + ", session " + sessionNumber);
        flushOutcomes();
        drain();
    }

    private void subscriptionRefused(long sessionNumber, String reason) {
        if (sessionNumber != session || state == State.DISCONNECTED) {
            return;
        }
        disconnected(Level.ERROR, "gateway " + settings.gatewayId() + " cannot subscribe: " + reason);
    }

    private void connectFailed(Throwable failure) {
        if (state == State.DISCONNECTED && reconnectScheduled) {
            return;
        }
        disconnected(failureLevel(failure), describeConnectFailure(failure));
    }

    private void connectionLost(Throwable cause) {
        if (state == State.DISCONNECTED) {
            return;
        }
        disconnected(Level.WARNING, "connection of gateway " + settings.gatewayId() + " to " + settings.brokerUrl()
                + " lost: " + describe(cause));
    }

    /** Whatever went wrong: give back what is out, drop the connection if Paho still has one, try again later. */
    private void disconnected(Level level, String problem) {
        state = State.DISCONNECTED;
        if (client.isConnected()) {
            try {
                client.disconnectForcibly(0, 1000);
            } catch (MqttException e) {
                LOG.log(Level.DEBUG, "dropping the connection: " + e);
            }
        }
        releaseInFlight();
        outcomes.connectionLost();
        if (!problem.equals(lastProblem)) {
            LOG.log(level, problem + "; retrying with backoff up to " + settings.reconnectMaxBackoff());
            lastProblem = problem;
        }
        if (!closing && !reconnectScheduled) {
            reconnectScheduled = true;
            Duration pause = backoff.next();
            loop.schedule(() -> guarded(this::connect), pause.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static Level failureLevel(Throwable failure) {
        return isCredentialsProblem(failure) ? Level.ERROR : Level.WARNING;
    }

    private static boolean isCredentialsProblem(Throwable failure) {
        return failure instanceof MqttException mqtt
                && (mqtt.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                        || mqtt.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED);
    }

    private String describeConnectFailure(Throwable failure) {
        String who = "gateway " + settings.gatewayId() + " cannot connect to " + settings.brokerUrl() + ": ";
        if (isCredentialsProblem(failure)) {
            return who + "the broker refused the credentials of user '" + settings.username()
                    + "', check username and password (configuration " + UplinkComponent.PID + ")";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                return who + "TLS handshake failed (" + cause.getMessage() + "), check the trust store and the "
                        + "broker's certificate";
            }
        }
        return who + describe(failure);
    }

    private static String describe(Throwable failure) {
        if (failure == null) {
            return "no reason given";
        }
        Throwable cause = failure.getCause();
        return cause == null || cause == failure ? String.valueOf(failure.getMessage())
                : failure.getMessage() + " (" + cause + ")";
    }

    private byte[] statusPayload(boolean online, long sessionNumber) {
        return Payloads.encodeStatus(new GatewayStatus(online, sessionNumber, Instant.now(), SOFTWARE));
    }

    // ---- batches ----

    /** Publishes batches while the window has room and the store has any, at most at the configured rate. */
    private void drain() {
        while (state == State.ONLINE && !closing && inFlight.size() < settings.inFlightBatches()) {
            long now = System.nanoTime();
            if (now - idleUntilNanos < 0) {
                return;
            }
            if (settings.maxBatchesPerSecond() > 0 && now - nextPublishNanos < 0) {
                drainAt(nextPublishNanos - now);
                return;
            }
            Optional<Batch> next = nextBatch();
            if (next.isEmpty()) {
                idleUntilNanos = now + IDLE_POLL.toNanos();
                return;
            }
            if (!publish(next.get())) {
                return;
            }
        }
    }

    private Optional<Batch> nextBatch() {
        try {
            Optional<Batch> next = store.nextBatch(limits);
            lastStoreProblem = "";
            return next;
        } catch (RuntimeException e) {
            String problem = String.valueOf(e.getMessage());
            if (!problem.equals(lastStoreProblem)) {
                LOG.log(Level.ERROR, "the store cannot hand out the next batch: " + problem, e);
                lastStoreProblem = problem;
            }
            return Optional.empty();
        }
    }

    private void drainAt(long delayNanos) {
        if (!drainScheduled) {
            drainScheduled = true;
            loop.schedule(() -> guarded(() -> {
                drainScheduled = false;
                drain();
            }), delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** False if the client cannot publish now (the batch is released again). */
    private boolean publish(Batch batch) {
        if (refused.contains(batch.id())) {
            return true;
        }
        byte[] payload;
        try {
            payload = Payloads.encodeBatch(batch);
        } catch (IllegalArgumentException e) {
            refused.add(batch.id());
            LOG.log(Level.ERROR, describe(batch) + " cannot be encoded (" + e.getMessage()
                    + "); it stays in the store and is not sent until the gateway restarts");
            return true;
        }
        try {
            client.publish(batchTopic, payload, 1, false);
        } catch (MqttException e) {
            store.release(batch.id());
            LOG.log(Level.DEBUG, "publishing " + describe(batch) + " failed, released: " + e);
            return false;
        }
        long now = System.nanoTime();
        inFlight.put(batch.id(), batch);
        ackDeadlines.put(batch.id(), now + settings.ackTimeout().toNanos());
        publishedBatches++;
        publishedEntries += batch.size();
        publishedValues += valuesIn(batch);
        publishedBytes += payload.length + batchTopicBytes;
        if (settings.maxBatchesPerSecond() > 0) {
            nextPublishNanos = now + TimeUnit.SECONDS.toNanos(1) / settings.maxBatchesPerSecond();
        }
        return true;
    }

    private static long valuesIn(Batch batch) {
        if (batch instanceof Batch.Intervals intervals) {
            long values = 0;
            for (IntervalBlock block : intervals.blocks()) {
                values += (long) block.intervals().size() * block.channels().size();
            }
            return values;
        }
        return 0;
    }

    private void onAck(byte[] payload) {
        BatchAck ack;
        try {
            ack = Payloads.decodeAck(payload);
        } catch (MalformedPayloadException e) {
            LOG.log(Level.WARNING, "ignored a malformed acknowledgement (" + payload.length + " bytes) on " + ackTopic
                    + ": " + e.getMessage());
            return;
        }
        Batch batch = inFlight.remove(ack.batchId());
        ackDeadlines.remove(ack.batchId());
        lastAck = Instant.now();
        String what = batch == null ? "batch " + ack.batchId() : describe(batch);
        if (ack.committed()) {
            if (store.confirm(ack.batchId())) {
                confirmedBatches++;
                ackTimeoutsReported = false;
            } else {
                LOG.log(Level.DEBUG, "acknowledgement for " + what + ", which the store does not hold (confirmed "
                        + "already)");
            }
        } else {
            refused.add(ack.batchId());
            LOG.log(Level.ERROR, "central refused " + what + ": " + ack.error() + "; its rows stay in the store and "
                    + "are not sent again until the gateway restarts");
        }
        drain();
    }

    private void expireAcks() {
        long now = System.nanoTime();
        int expired = 0;
        Iterator<Map.Entry<Long, Long>> deadlines = ackDeadlines.entrySet().iterator();
        while (deadlines.hasNext()) {
            Map.Entry<Long, Long> deadline = deadlines.next();
            if (now - deadline.getValue() >= 0) {
                deadlines.remove();
                inFlight.remove(deadline.getKey());
                store.release(deadline.getKey());
                expired++;
            }
        }
        ackTimeouts += expired;
        if (expired > 0 && !ackTimeoutsReported) {
            ackTimeoutsReported = true;
            LOG.log(Level.WARNING, "no acknowledgement from central within " + settings.ackTimeout() + " for "
                    + expired + " batch(es) of gateway " + settings.gatewayId() + " (is central running? may user '"
                    + settings.username() + "' publish to " + batchTopic + " at the broker?); they are sent again "
                    + "under the same ids");
        }
    }

    private void releaseInFlight() {
        for (Long id : inFlight.keySet()) {
            try {
                store.release(id);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "cannot release batch " + id + " (it goes out again after a restart): " + e);
            }
        }
        inFlight.clear();
        ackDeadlines.clear();
    }

    private static String describe(Batch batch) {
        return "batch " + batch.id() + " (" + batch.dataClass() + " of meter " + batch.serial() + " on "
                + batch.day() + ", " + batch.size() + " rows)";
    }

    // ---- commands ----

    private void onRequest(byte[] payload) {
        CommandRequest request;
        try {
            request = Payloads.decodeRequest(payload);
        } catch (MalformedPayloadException e) {
            LOG.log(Level.WARNING, "malformed command request (" + payload.length + " bytes) on " + requestTopic
                    + ": " + e.getMessage());
            if (!e.correlationId().isEmpty()) {
                queue(new TaskOutcome(e.correlationId(), UNKNOWN_SERIAL, TaskStatus.FAIL,
                        reason("malformed: " + e.getMessage()), Instant.now(), List.of(), null));
            }
            return;
        }
        MeterTask task = request.task();
        Optional<String> refusal;
        try {
            refusal = guard.refusal(request, Instant.now());
        } catch (UncheckedIOException e) {
            refusal = Optional.of(reason("cannot record the command for replay protection: " + e.getMessage()));
        }
        if (refusal.isPresent()) {
            LOG.log(Level.WARNING, "refused command " + task.correlationId() + " (" + task.kind() + " on "
                    + task.serial() + "): " + refusal.get());
            queue(TaskOutcome.failed(task, refusal.get(), Instant.now()));
            return;
        }
        if (!task.expiresAt().isAfter(Instant.now())) {
            queue(TaskOutcome.failed(task, "expired", Instant.now()));
            return;
        }
        Optional<OnDemandWork> work = onDemandWork.get();
        if (work.isEmpty()) {
            queue(TaskOutcome.failed(task, "collection not running", Instant.now()));
            return;
        }
        CompletionStage<TaskOutcome> running;
        try {
            running = work.get().submit(task);
        } catch (RuntimeException e) {
            queue(TaskOutcome.failed(task, reason("collection failed: " + e), Instant.now()));
            return;
        }
        running.whenComplete((outcome, failure) -> post(() -> queue(outcome != null ? outcome
                : TaskOutcome.failed(task, reason("collection failed: " + failure), Instant.now()))));
    }

    /** A reason the protocol can carry: no control characters, bounded length. */
    static String reason(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        return clean.length() <= MAX_REASON_CHARS ? clean : clean.substring(0, MAX_REASON_CHARS);
    }

    private void queue(TaskOutcome outcome) {
        byte[] payload;
        try {
            payload = Payloads.encodeOutcome(outcome);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "the outcome of " + outcome.correlationId() + " cannot be encoded: " + e.getMessage());
            return;
        }
        queue(new OutcomeQueue.Answer(outcome.correlationId(), resultTopic, payload));
    }

    private void queue(OutcomeQueue.Answer answer) {
        outcomes.add(answer).ifPresent(givenUp -> LOG.log(Level.WARNING, "too many answers waiting for "
                + "the connection; gave up the answer to " + givenUp.correlationId()));
        flushOutcomes();
    }

    private void flushOutcomes() {
        while (state == State.ONLINE) {
            Optional<OutcomeQueue.Answer> next = outcomes.next();
            if (next.isEmpty()) {
                return;
            }
            OutcomeQueue.Answer answer = next.get();
            try {
                client.publish(answer.topic(), answer.payload(), 1, false, null, listener(
                        token -> post(() -> outcomes.delivered(answer)),
                        failure -> LOG.log(Level.DEBUG, "answer to " + answer.correlationId() + " not delivered: "
                                + failure)));
            } catch (MqttException e) {
                return;
            }
            outcomes.published(answer);
        }
    }

    // ---- inventory changes ----

    private void onInventoryChange(byte[] payload) {
        InventoryResult result;
        try {
            InventoryChange change = Payloads.decodeInventoryChange(payload);
            result = InventoryRequests.apply(meterInventory.get(), change, Instant.now());
            LOG.log(result.status() == InventoryResult.Status.OK ? Level.INFO : Level.WARNING, "inventory change "
                    + change.correlationId() + " (" + change.action() + " of meter " + change.serial() + "): "
                    + result.status() + (result.detail().isEmpty() ? "" : ", " + result.detail()));
        } catch (MalformedPayloadException e) {
            LOG.log(Level.WARNING, "malformed inventory change (" + payload.length + " bytes) on " + inventoryTopic
                    + ": " + e.getMessage());
            if (e.correlationId().isEmpty()) {
                return;
            }
            result = new InventoryResult(e.correlationId(), UNKNOWN_SERIAL, InventoryResult.Status.FAIL,
                    reason("malformed: " + e.getMessage()));
        }
        queue(new OutcomeQueue.Answer(result.correlationId(), inventoryResultTopic,
                Payloads.encodeInventoryResult(result)));
    }

    // ---- the loop ----

    private void tick() {
        expireAcks();
        flushOutcomes();
        drain();
    }

    private void shutdown() {
        closing = true;
        releaseInFlight();
        if (state == State.ONLINE) {
            try {
                client.publish(statusTopic, statusPayload(false, session), 1, true).waitForCompletion(2000);
            } catch (MqttException e) {
                LOG.log(Level.DEBUG, "offline status not delivered: " + e);
            }
        }
        try {
            client.disconnect(500).waitForCompletion(2000);
        } catch (MqttException e) {
            LOG.log(Level.DEBUG, "disconnecting: " + e);
        }
        state = State.DISCONNECTED;
    }

    private void post(Runnable task) {
        try {
            loop.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "uplink stopped, event dropped");
        }
    }

    /** Runs a step of the loop; nothing that goes wrong in one step may stop the loop. */
    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "uplink of gateway " + settings.gatewayId() + ": unexpected failure", e);
        } finally {
            refreshStatus();
        }
    }

    private void refreshStatus() {
        status = new UplinkStatus(state == State.ONLINE, settings.brokerUrl(), settings.gatewayId(), session,
                inFlight.size(), refused.size(), outcomes.size(), publishedBatches, publishedEntries, publishedValues,
                publishedBytes, confirmedBatches, ackTimeouts, Optional.ofNullable(lastAck), lastProblem);
    }

    private static IMqttActionListener listener(Consumer<IMqttToken> success, Consumer<Throwable> failure) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                success.accept(token);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable exception) {
                failure.accept(exception);
            }
        };
    }

    /** Paho's threads hand everything to the loop. */
    private final class Callback implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            post(() -> MqttUplink.this.connectionLost(cause));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byte[] payload = message.getPayload();
            if (ackTopic.equals(topic)) {
                post(() -> onAck(payload));
            } else if (requestTopic.equals(topic)) {
                post(() -> onRequest(payload));
            } else if (inventoryTopic.equals(topic)) {
                post(() -> onInventoryChange(payload));
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Batches count as delivered when central acknowledges them, outcomes through their publish listener.
        }
    }
}

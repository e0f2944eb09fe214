package org.medida.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.medida.edge.api.AppendResult;
import org.medida.edge.api.Batch;
import org.medida.edge.api.BatchLimits;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.Priority;
import org.medida.edge.dlms.DlmsMeterDriver;
import org.medida.edge.dlms.DriverSettings;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.edge.store.StoreSettings;
import org.medida.protocol.BatchAck;
import org.medida.protocol.MalformedPayloadException;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.Transport;
import org.medida.testing.MosquittoBroker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.SelectiveAccessDescription;
import org.openmuc.jdlms.TcpConnectionBuilder;
import org.openmuc.jdlms.datatypes.CosemDateTime;
import org.openmuc.jdlms.datatypes.DataObject;

/**
 * One day of 15-minute load profile (96 entries) read from simulated meters over the TCP wrapper with no link
 * latency, association included: through the Medida DLMS driver, through the whole edge collection pipeline
 * (driver, SQLite store, batch, MQTT QoS 1 to a real Mosquitto, central's acknowledgement, confirm), and with raw
 * jDLMS as the baseline in the same run. The ratios of the throughputs to the baseline are what
 * docs/benchmarks.md records (B2).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
public class ProfileReadBenchmark {

    private static final String LOAD_PROFILE = "1.0.99.1.0.255";
    private static final int METERS = 4;
    private static final String GATEWAY = "bench-gw";
    private static final long ACK_TIMEOUT_SECONDS = 10;

    private MeterFleet fleet;
    private DlmsMeterDriver driver;
    private Path driverState;
    private List<SimulatedMeter> meters;
    private Instant dayStart;
    private Instant dayEnd;
    private int next;
    private Path pipelineDir;
    private SqliteReadingStore store;
    private MosquittoBroker broker;
    private AckingCentral central;
    private MqttAsyncClient uplink;
    /** Central's acknowledgements the pipeline waits for, by batch id. */
    private final Map<Long, CompletableFuture<BatchAck>> acks = new ConcurrentHashMap<>();

    @Setup(Level.Trial)
    public void startFleet() throws IOException {
        fleet = MeterFleet.start(FleetConfig.builder().meters(METERS).basePort(0).transport(Transport.WRAPPER)
                .profilePeriod(Duration.ofMinutes(15)).build());
        meters = fleet.meters();
        // Yesterday, complete: the same 96 entries for every client, stamped 00:00 … 23:45 UTC, which is one day of
        // the store (it batches by the UTC date of the time stamp). The range is inclusive at both ends.
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        dayStart = today.minus(Duration.ofDays(1));
        dayEnd = today.minusSeconds(1);
        driverState = Files.createTempDirectory("medida-bench-driver");
        driver = new DlmsMeterDriver(DriverSettings.defaults(driverState));
        pipelineDir = Files.createTempDirectory("medida-bench-pipeline");
        store = SqliteReadingStore.open(new StoreSettings(pipelineDir.resolve("store.db"), 256L * 1024 * 1024));
        broker = MosquittoBroker.start(pipelineDir.resolve("mosquitto"));
        try {
            central = AckingCentral.connect(broker.url());
            uplink = connectUplink(broker.url());
        } catch (MqttException e) {
            throw new IOException("cannot connect to the benchmark's broker: " + e, e);
        }
    }

    /** The gateway's side of MQTT as the uplink bundle sets it up: clean session, memory persistence, acks topic. */
    private MqttAsyncClient connectUplink(String url) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(url, GATEWAY, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws MalformedPayloadException {
                BatchAck ack = Payloads.decodeAck(message.getPayload());
                acks.computeIfAbsent(ack.batchId(), id -> new CompletableFuture<>()).complete(ack);
            }

            @Override
            public void connectionLost(Throwable cause) {
                acks.values().forEach(ack -> ack.completeExceptionally(cause));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setSocketFactory(new NoDelaySocketFactory());
        client.connect(options).waitForCompletion(10_000);
        client.subscribe(Topics.ack(GATEWAY), 1).waitForCompletion(10_000);
        return client;
    }

    @TearDown(Level.Trial)
    public void stopFleet() throws IOException, MqttException {
        uplink.disconnect().waitForCompletion(5_000);
        uplink.close();
        central.close();
        broker.close();
        store.close();
        driver.close();
        fleet.close();
        for (Path dir : List.of(driverState, pipelineDir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Benchmark
    public IntervalBlock driverProfileRead() {
        SimulatedMeter meter = nextMeter();
        MeterRef ref = new MeterRef(meter.serial(), new MeterLink.TcpWrapper("127.0.0.1", meter.port(),
                meter.logicalDevice(), null), MeterSecurity.publicClient());
        DriverResult<IntervalBlock> result = driver
                .submit(ref, Priority.NORMAL, session -> session.readProfile(LOAD_PROFILE, dayStart, dayEnd))
                .toCompletableFuture().join();
        if (result instanceof DriverResult.Success<IntervalBlock> success) {
            return success.value();
        }
        throw new IllegalStateException("driver read failed: " + result);
    }

    /**
     * The collection pipeline, one meter-day at a time: driver read, append to the SQLite store (fsynced), the store
     * forms the batch, encode, publish QoS 1 (PUBACK from Mosquitto), wait for central's acknowledgement, confirm
     * (the rows are deleted, fsynced). Stage after stage, so every stage's latency counts; in the gateway the
     * collector and the uplink overlap them.
     */
    @Benchmark
    public long collectionPipeline()
            throws MqttException, InterruptedException, ExecutionException, TimeoutException {
        IntervalBlock read = driverProfileRead();
        AppendResult appended = store.appendIntervals(read);
        if (appended.added() != read.intervals().size()) {
            throw new IllegalStateException("the store took " + appended + " of " + read.intervals().size());
        }
        Batch batch = store.nextBatch(new BatchLimits(1000)).orElseThrow();
        CompletableFuture<BatchAck> ack = acks.computeIfAbsent(batch.id(), id -> new CompletableFuture<>());
        uplink.publish(Topics.batch(GATEWAY), Payloads.encodeBatch(batch), 1, false).waitForCompletion(10_000);
        if (!ack.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS).committed() || !store.confirm(batch.id())) {
            throw new IllegalStateException("batch " + batch.id() + " was not committed and confirmed");
        }
        acks.remove(batch.id());
        return batch.id();
    }

    @Benchmark
    public List<DataObject> rawJdlmsProfileRead() throws IOException {
        SimulatedMeter meter = nextMeter();
        try (DlmsConnection connection = new TcpConnectionBuilder("127.0.0.1").setPort(meter.port()).useWrapper()
                .setClientId(MeterSecurity.PUBLIC_CLIENT_SAP).setLogicalDeviceId(meter.logicalDevice()).build()) {
            GetResult result = connection.get(new AttributeAddress(7, LOAD_PROFILE, 2, byRange(dayStart, dayEnd)));
            if (!result.getResultCode().name().equals("SUCCESS")) {
                throw new IllegalStateException("raw read failed: " + result.getResultCode());
            }
            return result.getResultData().getValue();
        }
    }

    private SimulatedMeter nextMeter() {
        return meters.get(next++ % meters.size());
    }

    /** Selector 1: restricting object is the clock's time attribute, all columns. */
    private static SelectiveAccessDescription byRange(Instant from, Instant to) {
        DataObject clock = DataObject.newStructureData(DataObject.newUInteger16Data(8),
                DataObject.newOctetStringData(new byte[] {0, 0, 1, 0, 0, (byte) 255}), DataObject.newInteger8Data((byte) 2),
                DataObject.newUInteger16Data(0));
        return new SelectiveAccessDescription(1, DataObject.newStructureData(clock, dateTime(from), dateTime(to),
                DataObject.newArrayData(List.of())));
    }

    /** COSEM date-time in UTC (deviation 0) as an octet string, the way meters take range limits. */
    private static DataObject dateTime(Instant t) {
        var utc = t.atZone(java.time.ZoneOffset.UTC);
        return DataObject.newOctetStringData(new CosemDateTime(utc.getYear(), utc.getMonthValue(), utc.getDayOfMonth(),
                utc.getDayOfWeek().getValue(), utc.getHour(), utc.getMinute(), utc.getSecond(), 0, 0).encode());
    }
}

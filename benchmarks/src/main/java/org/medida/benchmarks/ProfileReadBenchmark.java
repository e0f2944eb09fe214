package org.medida.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.Priority;
import org.medida.edge.dlms.DlmsMeterDriver;
import org.medida.edge.dlms.DriverSettings;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.Transport;
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
 * latency, association included: through the Medida DLMS driver, and with raw jDLMS as the baseline in the same
 * run. The driver does more per read (capture objects, scalers, typed decoding, channel scheduling); the ratio of
 * the two throughputs is what docs/benchmarks.md records.
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

    private MeterFleet fleet;
    private DlmsMeterDriver driver;
    private Path driverState;
    private List<SimulatedMeter> meters;
    private Instant dayStart;
    private Instant dayEnd;
    private int next;

    @Setup(Level.Trial)
    public void startFleet() throws IOException {
        fleet = MeterFleet.start(FleetConfig.builder().meters(METERS).basePort(0).transport(Transport.WRAPPER)
                .profilePeriod(Duration.ofMinutes(15)).build());
        meters = fleet.meters();
        // Yesterday, complete: the same 96 entries for both clients.
        dayEnd = Instant.now().truncatedTo(ChronoUnit.DAYS);
        dayStart = dayEnd.minus(Duration.ofDays(1));
        driverState = Files.createTempDirectory("medida-bench-driver");
        driver = new DlmsMeterDriver(DriverSettings.defaults(driverState));
    }

    @TearDown(Level.Trial)
    public void stopFleet() throws IOException {
        driver.close();
        fleet.close();
        try (var files = Files.walk(driverState)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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

package org.medida.edge.dlms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.edge.dlms.TestMeters.failure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.ClockReading;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.MeterConversation;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.Priority;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.Transport;

/** A conversation waits for its retry off the channel: the channel serves other meters meanwhile. */
class RetryTest {

    private static final String CHANNEL = "plc-segment-9";
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(400);
    private static final MeterConversation<ClockReading> READ_CLOCK = session -> session.readClock();

    @TempDir
    Path state;
    private static MeterFleet fleet;
    private SocketPeer silent;

    @BeforeAll
    static void startMeter() throws Exception {
        fleet = MeterFleet.start(FleetConfig.builder().meters(1).basePort(0)
                .transport(Transport.WRAPPER).keySeed("retries").build());
    }

    @AfterAll
    static void stopMeter() {
        fleet.close();
    }

    @BeforeEach
    void startSilentMeter() throws Exception {
        silent = SocketPeer.start(SocketPeer.SILENT);
    }

    @AfterEach
    void stopSilentMeter() throws Exception {
        silent.close();
    }

    @Test
    void highWorkGoesAheadWhileANormalConversationWaitsForItsRetry() throws Exception {
        try (DlmsMeterDriver driver = new DlmsMeterDriver(retrying(Duration.ofMillis(600)))) {
            CompletableFuture<DriverResult<ClockReading>> normal = driver
                    .submit(silentMeter(), Priority.NORMAL, READ_CLOCK).toCompletableFuture();
            awaitTrue(() -> silent.connections() == 1, "the first attempt reached the silent meter");

            AtomicLong highDone = new AtomicLong();
            CompletableFuture<DriverResult<ClockReading>> high = driver.submit(simulatedMeter(), Priority.HIGH,
                    session -> {
                        ClockReading clock = session.readClock();
                        highDone.set(System.nanoTime());
                        return clock;
                    }).toCompletableFuture();
            AtomicLong normalDone = new AtomicLong();
            normal.whenComplete((result, error) -> normalDone.set(System.nanoTime()));

            assertTrue(high.get(30, TimeUnit.SECONDS).isSuccess(), high.get().toString());
            assertEquals(FailureKind.TIMEOUT, failure(normal.get(30, TimeUnit.SECONDS)).kind());
            assertEquals(3, silent.connections(), "the NORMAL conversation still had its attempt and two retries");
            assertTrue(highDone.get() < silent.acceptedAt(1), "the HIGH read ended before the first retry began, "
                    + millis(silent.acceptedAt(1) - highDone.get()) + " ms earlier");
            assertTrue(normalDone.get() - silent.acceptedAt(0) >= Duration.ofMillis(3 * 400 + 600 + 1200).toNanos(),
                    "three request timeouts and the doubling pauses: " + millis(normalDone.get() - silent.acceptedAt(0))
                            + " ms");
        }
    }

    @Test
    void closingCompletesAConversationWaitingForItsRetry() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        DlmsMeterDriver driver = new DlmsMeterDriver(retrying(Duration.ofMinutes(5)));
        CompletableFuture<DriverResult<ClockReading>> pausing = driver
                .submit(silentMeter(), Priority.NORMAL, READ_CLOCK).toCompletableFuture();
        awaitTrue(() -> silent.connectionsEnded() == 1, "the first attempt gave up on the silent meter");

        long closing = System.nanoTime();
        driver.close();
        DriverResult<ClockReading> result = pausing.get(5, TimeUnit.SECONDS);
        long closeMillis = millis(System.nanoTime() - closing);

        assertEquals(FailureKind.UNREACHABLE, failure(result).kind(), result.toString());
        assertTrue(closeMillis < 5_000, "close did not wait out the pause: " + closeMillis + " ms");
        assertEquals(1, silent.connections(), "no retry after close");
        Set<String> leftOver = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive()
                        && thread.getName().startsWith("medida-dlms-"))
                .map(Thread::getName).collect(Collectors.toSet());
        assertEquals(Set.of(), leftOver, "the driver's threads end with it");
    }

    private DriverSettings retrying(Duration firstPause) {
        return TestMeters.settings(state).withRequestTimeout(REQUEST_TIMEOUT).withRetries(2, firstPause);
    }

    private MeterRef silentMeter() {
        return new MeterRef("SILENT", new MeterLink.TcpWrapper("127.0.0.1", silent.port(), 1, CHANNEL),
                MeterSecurity.publicClient());
    }

    private static MeterRef simulatedMeter() {
        SimulatedMeter meter = fleet.meters().get(0);
        return new MeterRef(meter.serial(),
                new MeterLink.TcpWrapper("127.0.0.1", meter.port(), meter.logicalDevice(), CHANNEL),
                MeterSecurity.publicClient());
    }

    /** Waits for a condition the driver brings about on its own threads. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}

package org.medida.edge.dlms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.MeterConversation;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.Priority;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.Transport;

/** One conversation at a time per channel, HIGH before NORMAL on a channel, channels in parallel. */
class SchedulingTest {

    @TempDir
    static Path state;
    private static MeterFleet fleet;
    private static DlmsMeterDriver driver;

    @BeforeAll
    static void startMeters() throws Exception {
        fleet = MeterFleet.start(FleetConfig.builder().meters(2).basePort(0)
                .metersPerPort(2).transport(Transport.WRAPPER).keySeed("scheduling").build());
        driver = new DlmsMeterDriver(TestMeters.settings(state).withParallelChannels(4));
    }

    @AfterAll
    static void stopMeters() {
        driver.close();
        fleet.close();
    }

    /** A meter on a named channel, as two meters behind one PLC modem share it. */
    private static MeterRef onChannel(int index, String channel) {
        SimulatedMeter meter = fleet.meters().get(index);
        return new MeterRef(meter.serial(),
                new MeterLink.TcpWrapper("127.0.0.1", meter.port(), meter.logicalDevice(), channel),
                MeterSecurity.publicClient());
    }

    @Test
    void aChannelCarriesOneConversationAtATime() throws Exception {
        AtomicInteger talking = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        MeterConversation<Void> conversation = session -> {
            mostAtOnce.accumulateAndGet(talking.incrementAndGet(), Math::max);
            session.readClock();
            talking.decrementAndGet();
            return null;
        };
        List<CompletableFuture<DriverResult<Void>>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            results.add(driver.submit(onChannel(i % 2, "plc-segment-1"), Priority.NORMAL, conversation)
                    .toCompletableFuture());
        }
        for (CompletableFuture<DriverResult<Void>> result : results) {
            assertTrue(result.get(30, TimeUnit.SECONDS).isSuccess());
        }
        assertEquals(1, mostAtOnce.get());
    }

    @Test
    void highPriorityOvertakesQueuedNormalWork() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        MeterRef meter = onChannel(0, "rf-modem-7");
        MeterConversation<Void> holdTheChannel = session -> {
            holding.countDown();
            awaitQuietly(release);
            order.add("first");
            return null;
        };
        CompletableFuture<DriverResult<Void>> first = driver.submit(meter, Priority.NORMAL, holdTheChannel)
                .toCompletableFuture();
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        List<CompletableFuture<DriverResult<Void>>> queued = List.of(
                driver.submit(meter, Priority.NORMAL, recording(order, "normal-1")).toCompletableFuture(),
                driver.submit(meter, Priority.NORMAL, recording(order, "normal-2")).toCompletableFuture(),
                driver.submit(meter, Priority.HIGH, recording(order, "high")).toCompletableFuture());
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        for (CompletableFuture<DriverResult<Void>> result : queued) {
            assertTrue(result.get(30, TimeUnit.SECONDS).isSuccess());
        }
        assertEquals(List.of("first", "high", "normal-1", "normal-2"), order);
    }

    @Test
    void differentChannelsTalkAtTheSameTime() throws Exception {
        // each conversation waits until the other one is running too: this only succeeds in parallel
        CyclicBarrier bothTalking = new CyclicBarrier(2);
        MeterConversation<Integer> conversation = session -> {
            try {
                return bothTalking.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the other channel did not talk meanwhile", e);
            }
        };
        CompletableFuture<DriverResult<Integer>> a = driver.submit(onChannel(0, "serial-a"), Priority.NORMAL,
                conversation).toCompletableFuture();
        CompletableFuture<DriverResult<Integer>> b = driver.submit(onChannel(1, "serial-b"), Priority.NORMAL,
                conversation).toCompletableFuture();
        assertTrue(a.get(30, TimeUnit.SECONDS).isSuccess(), a.get().toString());
        assertTrue(b.get(30, TimeUnit.SECONDS).isSuccess(), b.get().toString());
    }

    private static MeterConversation<Void> recording(List<String> order, String name) {
        return session -> {
            order.add(name);
            return null;
        };
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

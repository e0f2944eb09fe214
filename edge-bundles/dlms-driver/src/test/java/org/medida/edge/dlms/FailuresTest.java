package org.medida.edge.dlms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.edge.dlms.TestMeters.failure;
import static org.medida.edge.dlms.TestMeters.talk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.ClockReading;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.Failure;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.MeterConversation;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.Priority;

/** Peers that are not meters: every failure comes back as a typed result, after the configured retries. */
class FailuresTest {

    @TempDir
    Path state;
    private DlmsMeterDriver driver;
    private final List<AutoCloseable> peers = new ArrayList<>();

    @BeforeEach
    void startDriver() {
        driver = new DlmsMeterDriver(DriverSettings.defaults(state).withRequestTimeout(Duration.ofMillis(500))
                .withRetries(2, Duration.ofMillis(50)));
    }

    @AfterEach
    void stop() throws Exception {
        driver.close();
        for (AutoCloseable peer : peers) {
            peer.close();
        }
    }

    @Test
    void aPortNobodyListensOnIsUnreachable() throws Exception {
        Failure failure = failure(talk(driver, wrapperAt(TestMeters.freePort()), s -> s.readClock()));
        assertEquals(FailureKind.UNREACHABLE, failure.kind(), failure.toString());
    }

    @Test
    void aMissingSerialPortIsUnreachable() throws Exception {
        MeterRef meter = new MeterRef("S1", new MeterLink.SerialModeE(state.resolve("no-tty").toString()),
                MeterSecurity.publicClient());
        Failure failure = failure(talk(driver, meter, s -> s.readClock()));
        assertEquals(FailureKind.UNREACHABLE, failure.kind(), failure.toString());
    }

    @Test
    void aPeerThatNeverAnswersTimesOutAfterTheRetries() throws Exception {
        SocketPeer silent = peer(SocketPeer.SILENT);
        long start = System.nanoTime();
        Failure failure = failure(talk(driver, wrapperAt(silent.port()), s -> s.readClock()));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(FailureKind.TIMEOUT, failure.kind(), failure.toString());
        assertEquals(3, silent.connections(), "first attempt and two retries");
        assertTrue(elapsedMillis >= 3 * 500, "each attempt waits for the request timeout: " + elapsedMillis);
    }

    @Test
    void garbageIsAMalformedResponse() throws Exception {
        SocketPeer garbage = peer(connection -> {
            InputStream in = connection.getInputStream();
            in.read(new byte[64]);
            connection.getOutputStream().write(new byte[] { 0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x00, 0x04, 0x13,
                    0x37, (byte) 0xBE, (byte) 0xEF });
            in.transferTo(OutputStream.nullOutputStream());
        });
        Failure failure = failure(talk(driver, wrapperAt(garbage.port()), s -> s.readClock()));
        assertEquals(FailureKind.MALFORMED_RESPONSE, failure.kind(), failure.toString());
    }

    @Test
    void aConversationThatFailsInsideIsATypedFailureToo() throws Exception {
        SocketPeer silent = peer(SocketPeer.SILENT);
        DriverResult<Object> result = talk(driver, wrapperAt(silent.port()), s -> {
            throw new IllegalStateException("caller bug");
        });
        assertEquals(false, result.isSuccess());
    }

    @Test
    void workStillWaitingWhenTheDriverStopsCompletesAsFailed() throws Exception {
        SocketPeer silent = peer(SocketPeer.SILENT);
        MeterRef meter = wrapperAt(silent.port());
        MeterConversation<ClockReading> readClock = s -> s.readClock();
        CompletableFuture<DriverResult<ClockReading>> running = driver.submit(meter, Priority.NORMAL, readClock)
                .toCompletableFuture();
        CompletableFuture<DriverResult<ClockReading>> waiting = driver.submit(meter, Priority.NORMAL, readClock)
                .toCompletableFuture();
        driver.close();
        assertEquals(FailureKind.UNREACHABLE, failure(waiting.get(5, TimeUnit.SECONDS)).kind());
        assertEquals(false, running.get(15, TimeUnit.SECONDS).isSuccess());
        assertEquals(FailureKind.UNREACHABLE,
                failure(driver.submit(meter, Priority.HIGH, readClock).toCompletableFuture().get()).kind());
    }

    private static MeterRef wrapperAt(int port) {
        return new MeterRef("M1", new MeterLink.TcpWrapper("127.0.0.1", port), MeterSecurity.publicClient());
    }

    private SocketPeer peer(SocketPeer.Behaviour behaviour) throws IOException {
        SocketPeer peer = SocketPeer.start(behaviour);
        peers.add(peer);
        return peer;
    }
}

package org.medida.edge.dlms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.edge.dlms.TestMeters.failure;
import static org.medida.edge.dlms.TestMeters.talk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.Failure;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;

/**
 * A host that never completes the TCP handshake, as an unroutable modem does, is unreachable after the connect
 * timeout rather than after the operating system's (about two minutes). Emulated on loopback: a listening socket
 * with a backlog of one whose accept queue is full, so that Linux drops further connection requests and connect()
 * hangs.
 */
class ConnectTimeoutTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

    @TempDir
    Path state;
    private ServerSocket fullBacklog;
    private final List<Socket> queued = new ArrayList<>();
    private DlmsMeterDriver driver;

    @BeforeEach
    void fillTheAcceptQueue() throws IOException {
        fullBacklog = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        while (queued.size() < 10) {
            Socket client = new Socket();
            try {
                client.connect(fullBacklog.getLocalSocketAddress(), 200);
                queued.add(client);
            } catch (SocketTimeoutException e) {
                client.close();
                break;
            }
        }
        assertTrue(queued.size() < 10, "connect() to a full accept queue must hang on this machine");
        // a request timeout far beyond the connect timeout shows which one gives up
        driver = new DlmsMeterDriver(DriverSettings.defaults(state).withConnectTimeout(CONNECT_TIMEOUT)
                .withRequestTimeout(Duration.ofSeconds(20)).withRetries(0, Duration.ZERO));
    }

    @AfterEach
    void release() throws IOException {
        driver.close();
        for (Socket client : queued) {
            client.close();
        }
        fullBacklog.close();
    }

    @Test
    void aWrapperMeterThatNeverAcceptsIsUnreachableAfterTheConnectTimeout() throws Exception {
        assertUnreachableInTime(new MeterLink.TcpWrapper("127.0.0.1", fullBacklog.getLocalPort()));
    }

    @Test
    void anHdlcMeterThatNeverAcceptsIsUnreachableAfterTheConnectTimeout() throws Exception {
        assertUnreachableInTime(new MeterLink.TcpHdlc("127.0.0.1", fullBacklog.getLocalPort(), 17, 1, null));
    }

    private void assertUnreachableInTime(MeterLink link) throws Exception {
        long start = System.nanoTime();
        Failure failure = failure(talk(driver, new MeterRef("M1", link, MeterSecurity.publicClient()),
                session -> session.readClock()));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(FailureKind.UNREACHABLE, failure.kind(), failure.toString());
        assertTrue(elapsedMillis >= CONNECT_TIMEOUT.toMillis() - 50 && elapsedMillis < 2_000,
                "gave up after the connect timeout of " + CONNECT_TIMEOUT.toMillis() + " ms: " + elapsedMillis + " ms");
    }
}

package org.medida.itests;

import static org.medida.itests.Assertions.assertFailed;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.List;

import org.junit.Test;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.FailureKind;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.RegisterReading;

/** What a gateway gets when a meter cannot give what was asked: a typed failure, never an exception. */
public class FailuresTest extends DriverInFelixTest {

    /** A well-formed DLMS wrapper header (version 1, client 16 to server 1) around bytes that are no APDU. */
    private static final byte[] WRAPPED_GARBAGE = HexFormat.of().parseHex("0001000100100006" + "ffeeddccbbaa");

    @Test
    public void unreachableMeter() throws Exception {
        MeterRef nobody = new MeterRef("ITX000001", new MeterLink.TcpWrapper("127.0.0.1", closedPort()),
                MeterSecurity.publicClient());
        assertFailed(FailureKind.UNREACHABLE, driver.talk(nobody, session -> session.readClock()));
    }

    @Test
    public void peerAnsweringWrappedGarbage() throws Exception {
        assertMalformed(WRAPPED_GARBAGE);
    }

    @Test
    public void peerSpeakingAnotherProtocol() throws Exception {
        assertMalformed("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    public void silentPeerTimesOut() throws Exception {
        Dictionary<String, Object> impatient = DriverUnderTest.defaults();
        impatient.put("requestTimeoutMillis", 1000);
        impatient.put("retries", 1);
        driver.close();
        driver = DriverUnderTest.configure(context, impatient);
        try (MisbehavingPeer peer = MisbehavingPeer.silent()) {
            MeterRef silent = new MeterRef("ITX000003", new MeterLink.TcpWrapper("127.0.0.1", peer.port()),
                    MeterSecurity.publicClient());
            assertFailed(FailureKind.TIMEOUT, driver.talk(silent, session -> session.readClock()));
        } finally {
            driver.close();
            driver = DriverUnderTest.configure(context, DriverUnderTest.defaults());
        }
    }

    @Test
    public void objectTheMeterLacksFailsAloneInABatch() throws Exception {
        List<DriverResult<RegisterReading>> read = driver.read(TestMeter.WRAPPER.lowLevelSecurity(),
                session -> session.readRegisters(List.of("1.0.1.8.0.255", "1.0.199.8.0.255")));
        Assertions.value(read.get(0));
        assertFailed(FailureKind.OBJECT_UNDEFINED, read.get(1));
    }

    private void assertMalformed(byte[] answer) throws Exception {
        try (MisbehavingPeer peer = MisbehavingPeer.answering(answer)) {
            MeterRef broken = new MeterRef("ITX000002", new MeterLink.TcpWrapper("127.0.0.1", peer.port()),
                    MeterSecurity.publicClient());
            assertFailed(FailureKind.MALFORMED_RESPONSE, driver.talk(broken, session -> session.readClock()));
        }
    }

    /** A loopback port nobody listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

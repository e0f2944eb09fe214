package org.medida.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.ObisCode;

/** Bad frames get a DLMS error or a clean close, and the fleet keeps serving. */
class MalformedFrameTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final AttributeAddress A_PLUS = new AttributeAddress(3, new ObisCode("1.0.1.8.0.255"), 2);

    private static MeterFleet wrapperFleet;
    private static MeterFleet hdlcFleet;

    @BeforeAll
    static void start() throws Exception {
        wrapperFleet = MeterFleet.start(FleetConfig.builder().basePort(0).build());
        hdlcFleet = MeterFleet.start(FleetConfig.builder().basePort(0).transport(Transport.HDLC).serialPrefix("HDL").build());
    }

    @AfterAll
    static void stop() {
        wrapperFleet.close();
        hdlcFleet.close();
    }

    @Test
    void garbageApduInAWrapperFrameIsRefusedAndTheMeterStillServes() throws Exception {
        SimulatedMeter meter = wrapperFleet.meters().get(0);
        exchange(meter, wrapper(16, 1, HEX.parseHex("60ffee0102")));
        exchange(meter, HEX.parseHex("0001001000010010deadbeef"));
        exchange(meter, wrapper(16, 1, HEX.parseHex("c001c100030100010800ff0200")));
        assertStillServes(meter);
    }

    @Test
    void unknownLogicalDeviceAndClientAreRefused() throws Exception {
        SimulatedMeter meter = wrapperFleet.meters().get(0);
        exchange(meter, wrapper(16, 42, HEX.parseHex("601da109060760857405080101be10040e01000000065f1f040000fe1dffff")));
        exchange(meter, wrapper(99, 1, HEX.parseHex("601da109060760857405080101be10040e01000000065f1f040000fe1dffff")));
        assertStillServes(meter);
    }

    @Test
    void brokenHdlcFramesAreDroppedAndTheMeterStillServes() throws Exception {
        SimulatedMeter meter = hdlcFleet.meters().get(0);
        exchange(meter, HEX.parseHex("7ea00802212193ffff7e"));
        exchange(meter, HEX.parseHex("7e0102037e7e"));
        exchange(meter, HEX.parseHex("00112233445566778899"));
        assertStillServes(meter);
    }

    @Test
    void emptySnrmIsAnsweredWithUa() throws Exception {
        SimulatedMeter meter = hdlcFleet.meters().get(0);
        // SNRM from client SAP 16 (0x21) to logical device 1, physical 16 (0x02 0x21), no information field
        byte[] reply = exchange(meter, HEX.parseHex("7ea0080221219305d17e"));
        assertEquals(0x7E, reply[0] & 0xFF, HEX.formatHex(reply));
        assertEquals(0x73, reply[6] & 0xFF, "UA: " + HEX.formatHex(reply));
    }

    private static void assertStillServes(SimulatedMeter meter) throws IOException {
        try (DlmsConnection c = Clients.publicClient(meter)) {
            assertEquals(AccessResultCode.SUCCESS, c.get(A_PLUS).getResultCode());
        }
    }

    /** Sends bytes, returns whatever arrives within half a second (empty on close or silence). */
    static byte[] exchange(SimulatedMeter meter, byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), meter.port())) {
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[1024];
            try {
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    received.write(buffer, 0, n);
                    s.setSoTimeout(100);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // silence or a closed connection ends the answer
            }
            return received.toByteArray();
        }
    }

    static byte[] wrapper(int source, int destination, byte[] apdu) {
        byte[] frame = new byte[8 + apdu.length];
        frame[1] = 1;
        frame[2] = (byte) (source >> 8);
        frame[3] = (byte) source;
        frame[4] = (byte) (destination >> 8);
        frame[5] = (byte) destination;
        frame[6] = (byte) (apdu.length >> 8);
        frame[7] = (byte) apdu.length;
        System.arraycopy(apdu, 0, frame, 8, apdu.length);
        return frame;
    }

}

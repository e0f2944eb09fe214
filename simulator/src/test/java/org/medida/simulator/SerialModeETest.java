package org.medida.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gurux.dlms.GXDLMSClient;
import gurux.dlms.GXReplyData;
import gurux.dlms.enums.Authentication;
import gurux.dlms.enums.InterfaceType;
import gurux.dlms.objects.GXDLMSRegister;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.SerialConnectionBuilder;

/**
 * The meter behind a socat pty pair: IEC 62056-21 mode E sign-on with raw bytes exactly as jDLMS's Iec21Layer
 * sends them, then full HDLC associations over the pty: by a foreign stack (Gurux) and by jDLMS's serial client with
 * its handshake, running on our jSerialComm-backed org.openmuc.jrxtx (no RXTX natives).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SerialModeETest {

    private static final byte[] ACK_9600_HDLC = {0x06, '2', '5', '2', '\r', '\n'};

    @TempDir
    Path ptyDir;

    @Test
    void signOnThenHdlcAssociationOverThePty() throws Exception {
        try (MeterFleet fleet = MeterFleet.start(FleetConfig.builder().basePort(0).transport(Transport.SERIAL)
                .ptyDir(ptyDir).build())) {
            SimulatedMeter meter = fleet.meters().get(0);
            assertEquals(ptyDir.resolve(meter.serial()).toString(), meter.serialDevice());
            try (InputStream in = new FileInputStream(meter.serialDevice());
                    OutputStream out = new FileOutputStream(meter.serialDevice())) {
                out.write("/?!\r\n".getBytes(StandardCharsets.US_ASCII));
                String identification = readLine(in);
                assertEquals("/MDA5\\2" + meter.serial() + "\r\n", identification, "mode E marker \\2, 9600 Bd");
                out.write(ACK_9600_HDLC);
                assertArrayEquals(ACK_9600_HDLC, readBytes(in, ACK_9600_HDLC.length), "the ACK comes back");

                GXDLMSClient client = new GXDLMSClient(true, 16,
                        GXDLMSClient.getServerAddress(meter.logicalDevice(), meter.physicalAddress()),
                        Authentication.NONE, null, InterfaceType.HDLC);
                GuruxConversation talk = new GuruxConversation(client, in, out);
                client.parseUAResponse(talk.exchange(client.snrmRequest()).getData());
                GXReplyData aare = null;
                for (byte[] frame : client.aarqRequest()) {
                    aare = talk.exchange(frame);
                }
                client.parseAareResponse(aare.getData());
                GXDLMSRegister aPlus = new GXDLMSRegister("1.0.1.8.0.255");
                long before = meter.model().totals().importWh();
                client.updateValue(aPlus, 2, talk.read(client.read(aPlus, 2)).getValue());
                long value = ((Number) aPlus.getValue()).longValue();
                assertTrue(value >= before && value <= meter.model().totals().importWh(), "A+ " + value);
                talk.exchange(client.disconnectRequest());
            }
        }
        assertFalse(Files.exists(ptyDir.resolve("SIM000001")), "socat stopped and removed its links");
    }

    @Test
    void jdlmsSerialClientWithHandshakeReadsOverThePty() throws Exception {
        try (MeterFleet fleet = MeterFleet.start(FleetConfig.builder().basePort(0).transport(Transport.SERIAL)
                .ptyDir(ptyDir).serialPrefix("JDL").build())) {
            SimulatedMeter meter = fleet.meters().get(0);
            SerialConnectionBuilder builder = new SerialConnectionBuilder(meter.serialDevice())
                    .enableHandshake()
                    .setBaudRateChangeTime(50)
                    .setClientId(16)
                    .setLogicalDeviceId(meter.logicalDevice())
                    .setPhysicalDeviceAddress(meter.physicalAddress())
                    .setResponseTimeout(Clients.TIMEOUT_MILLIS);
            try (DlmsConnection c = builder.build()) {
                long before = meter.model().totals().importWh();
                GetResult r = c.get(new AttributeAddress(3, new ObisCode("1.0.1.8.0.255"), 2));
                long value = ((Number) r.getResultData().getValue()).longValue();
                assertTrue(value >= before && value <= meter.model().totals().importWh(), "A+ " + value);
                assertEquals(meter.model().loadProfile().size(), ((java.util.List<?>) c.get(
                        new AttributeAddress(7, new ObisCode("1.0.99.1.0.255"), 2)).getResultData().getValue()).size());
            }
        }
    }

    @Test
    void aWrongSignOnIsIgnoredAndTheNextOneAnswered() throws Exception {
        try (MeterFleet fleet = MeterFleet.start(FleetConfig.builder().basePort(0).transport(Transport.SERIAL)
                .ptyDir(ptyDir).serialPrefix("OPT").build())) {
            SimulatedMeter meter = fleet.meters().get(0);
            try (InputStream in = new FileInputStream(meter.serialDevice());
                    OutputStream out = new FileOutputStream(meter.serialDevice())) {
                out.write("/x garbage\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write("/?12345678!\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("/MDA5\\2" + meter.serial() + "\r\n", readLine(in));
            }
        }
    }

    @Test
    void aPoweredOffMeterIgnoresTheSignOn() throws Exception {
        try (MeterFleet fleet = MeterFleet.start(FleetConfig.builder().basePort(0).transport(Transport.SERIAL)
                .ptyDir(ptyDir).serialPrefix("OFF").build())) {
            SimulatedMeter meter = fleet.meters().get(0);
            meter.setLink(LinkEmulation.NONE.withPoweredOff(
                    java.util.List.of(TimeWindow.of(meter.clock().minusSeconds(1), java.time.Duration.ofHours(1)))));
            try (InputStream in = new FileInputStream(meter.serialDevice());
                    OutputStream out = new FileOutputStream(meter.serialDevice())) {
                out.write("/?!\r\n".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(500);
                assertEquals(0, in.available(), "no identification without power");
                meter.setLink(LinkEmulation.NONE);
                out.write("/?!\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("/MDA5\\2" + meter.serial() + "\r\n", readLine(in));
            }
        }
    }

    /** Byte by byte: FileInputStream.readNBytes seeks, which a terminal cannot. */
    private static byte[] readBytes(InputStream in, int count) throws IOException {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) in.read();
        }
        return bytes;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}

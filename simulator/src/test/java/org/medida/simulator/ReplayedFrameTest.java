package org.medida.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.medida.simulator.model.EventCodes;
import org.medida.simulator.model.EventLog;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.TcpConnectionBuilder;

/**
 * A recorded ciphered request sent again inside a live HLS5 association: a wire tap between the jDLMS client and the
 * meter replays the client's last glo-get-request frame verbatim.
 */
class ReplayedFrameTest {

    private static final int GLO_GET_REQUEST = 0xC8;

    @Test
    void aReplayedGloGetRequestGetsAnInvocationCounterError() throws Exception {
        try (MeterFleet fleet = MeterFleet.start(FleetConfig.builder().basePort(0).build());
                WireTap tap = new WireTap(fleet.meters().get(0).port())) {
            SimulatedMeter meter = fleet.meters().get(0);
            TcpConnectionBuilder builder = Clients.hls5(meter, meter.keys().encryptionKey(),
                    meter.keys().authenticationKey(), 7_000).setPort(tap.port());
            try (DlmsConnection c = builder.build()) {
                assertEquals(AccessResultCode.SUCCESS,
                        c.get(new AttributeAddress(3, new ObisCode("1.0.1.8.0.255"), 2)).getResultCode());
                byte[] recorded = tap.lastFromClient();
                assertEquals(GLO_GET_REQUEST, recorded[8] & 0xFF, HexFormat.of().formatHex(recorded));
                tap.fromMeter.clear();
                tap.toMeter(recorded);
                byte[] answer = tap.fromMeter.poll(3, TimeUnit.SECONDS);
                assertEquals("d80106", HexFormat.of().formatHex(answer, 8, 11), "exception-response, invocation-counter-error");
            }
            assertTrue(meter.model().events(EventLog.FRAUD).stream().anyMatch(e -> e.code() == EventCodes.REPLAY_ATTACK));
        }
    }

    /** Forwards one wrapper connection both ways and keeps every frame it saw. */
    private static final class WireTap implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final int meterPort;
        private final BlockingQueue<byte[]> fromClient = new LinkedBlockingQueue<>();
        private final BlockingQueue<byte[]> fromMeter = new LinkedBlockingQueue<>();
        private volatile Socket upstream;

        WireTap(int meterPort) throws IOException {
            this.meterPort = meterPort;
            Thread accept = new Thread(this::serve, "wire-tap");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        byte[] lastFromClient() {
            return List.copyOf(fromClient).get(fromClient.size() - 1);
        }

        synchronized void toMeter(byte[] frame) throws IOException {
            upstream.getOutputStream().write(frame);
        }

        private void serve() {
            try (Socket client = listener.accept(); Socket meter = new Socket(InetAddress.getLoopbackAddress(), meterPort)) {
                upstream = meter;
                InputStream meterIn = meter.getInputStream();
                OutputStream clientOut = client.getOutputStream();
                Thread back = new Thread(() -> pump(meterIn, clientOut, fromMeter));
                back.setDaemon(true);
                back.start();
                pump(client.getInputStream(), meter.getOutputStream(), fromClient);
            } catch (IOException e) {
                // the test is over
            }
        }

        private static void pump(InputStream from, OutputStream to, BlockingQueue<byte[]> seen) {
            try {
                DataInputStream in = new DataInputStream(from);
                while (true) {
                    byte[] header = new byte[8];
                    in.readFully(header);
                    byte[] frame = new byte[8 + ((header[6] & 0xFF) << 8 | header[7] & 0xFF)];
                    System.arraycopy(header, 0, frame, 0, 8);
                    in.readFully(frame, 8, frame.length - 8);
                    seen.add(frame);
                    synchronized (to) {
                        to.write(frame);
                    }
                }
            } catch (IOException e) {
                // connection closed
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}

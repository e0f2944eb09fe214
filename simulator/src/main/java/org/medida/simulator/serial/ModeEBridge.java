package org.medida.simulator.serial;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The serial side of a meter: answers the IEC 62056-21 mode E sign-on on the pseudo-terminal, then carries the HDLC
 * bytes to the meter's HDLC endpoint on loopback (jDLMS's server only listens on TCP). Baud-rate changes mean
 * nothing on a pty, so only the message exchange is emulated:
 * <pre>
 * client: /?[address]!CR LF          meter: /MDA5\2[serial] CR LF   (5 = 9600 Bd, \2 = HDLC protocol, mode E)
 * client: ACK '2' '5' '2' CR LF      meter: echoes those six bytes, as an optical head does
 * then HDLC frames both ways until the association ends; a client without sign-on may start with HDLC at once.
 * </pre>
 */
public final class ModeEBridge implements Runnable {

    private static final int HDLC_FLAG = 0x7E;
    private static final int ACK = 0x06;
    private static final int ACK_LENGTH = 6;
    private static final int MAX_SIGN_ON = 64;

    private final Path meterDevice;
    private final int hdlcPort;
    private final String identification;
    private final BooleanSupplier answering;

    /** {@code answering} tells whether the meter's link lets it answer now (not unreachable, not powered off). */
    public ModeEBridge(Path meterDevice, int hdlcPort, String serial, BooleanSupplier answering) {
        this.meterDevice = meterDevice;
        this.hdlcPort = hdlcPort;
        this.answering = answering;
        this.identification = "/MDA5\\2" + serial + "\r\n";
    }

    /** Serves sign-ons and sessions until the pty goes away. */
    @Override
    public void run() {
        try (InputStream fromClient = new FileInputStream(meterDevice.toFile());
                OutputStream toClient = new FileOutputStream(meterDevice.toFile())) {
            while (true) {
                int first = fromClient.read();
                if (first < 0) {
                    return;
                }
                if (first == '/') {
                    signOn(fromClient, toClient);
                } else if (first == HDLC_FLAG) {
                    bridge(first, fromClient, toClient);
                }
            }
        } catch (IOException e) {
            // the pty pair was closed: the meter left the bus
        }
    }

    private void signOn(InputStream fromClient, OutputStream toClient) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write('/');
        for (int b = fromClient.read(); b >= 0 && request.size() < MAX_SIGN_ON; b = fromClient.read()) {
            request.write(b);
            if (b == '\n') {
                break;
            }
        }
        if (!request.toString(StandardCharsets.US_ASCII).matches("/\\?[^!]*!\r\n") || !answering.getAsBoolean()) {
            return;
        }
        toClient.write(identification.getBytes(StandardCharsets.US_ASCII));
        toClient.flush();
        byte[] ack = new byte[ACK_LENGTH];
        int n = 0;
        // byte by byte: FileInputStream.readNBytes seeks, which a terminal cannot
        for (int b = 0; n < ACK_LENGTH && (b = fromClient.read()) >= 0; n++) {
            ack[n] = (byte) b;
        }
        if (n == ACK_LENGTH && ack[0] == ACK) {
            toClient.write(ack);
            toClient.flush();
        }
    }

    /** Forwards one association: client bytes to the HDLC port and back, until the server closes the connection. */
    private void bridge(int firstByte, InputStream fromClient, OutputStream toClient) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), hdlcPort)) {
            OutputStream toMeter = socket.getOutputStream();
            toMeter.write(firstByte);
            Thread back = new Thread(() -> copy(socket, toClient), "mode-e-" + hdlcPort);
            back.setDaemon(true);
            back.start();
            byte[] buffer = new byte[512];
            while (back.isAlive()) {
                int n = fromClient.available() > 0 ? fromClient.read(buffer) : waitForInput(back);
                if (n > 0) {
                    toMeter.write(buffer, 0, n);
                    toMeter.flush();
                }
            }
        }
    }

    /** The pty gives no end-of-stream when a session ends, so poll while the meter side is still talking. */
    private static int waitForInput(Thread back) {
        try {
            back.join(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void copy(Socket socket, OutputStream toClient) {
        try (InputStream fromMeter = socket.getInputStream()) {
            fromMeter.transferTo(toClient);
        } catch (IOException e) {
            // the association ended
        }
    }
}

package org.medida.edge.dlms;

import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A serial line to an HDLC meter: a socat pseudo-terminal pair whose far end answers the IEC 62056-21 mode E sign-on
 * (identification, then the echo of the client's acknowledgement, as an optical head gives it) and then carries the
 * HDLC frames to the meter's HDLC port on loopback.
 *
 * <p>The simulator's own mode E bridge stops at the acknowledgement (its {@code FileInputStream.readNBytes} fails
 * with "Illegal seek" on a terminal on Java 17), so the tests bring their own line until that is mended.
 */
final class ModeELine implements AutoCloseable {

    private final Process socat;
    private final Thread meterSide;
    final Path clientDevice;

    ModeELine(Path directory, int hdlcPort, String serial) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        clientDevice = directory.resolve(serial + "-client");
        Path meterDevice = directory.resolve(serial + "-meter");
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + clientDevice, "pty,raw,echo=0,link=" + meterDevice)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Files.exists(clientDevice) || !Files.exists(meterDevice)) {
            if (System.nanoTime() > deadline) {
                socat.destroy();
                throw new IOException("socat made no pseudo-terminals");
            }
            Thread.sleep(20);
        }
        meterSide = new Thread(() -> serve(meterDevice, hdlcPort, serial), "mode-e-line-" + serial);
        meterSide.setDaemon(true);
        meterSide.start();
    }

    private static void serve(Path meterDevice, int hdlcPort, String serial) {
        try (DataInputStream fromClient = new DataInputStream(new FileInputStream(meterDevice.toFile()));
                OutputStream toClient = new FileOutputStream(meterDevice.toFile())) {
            while (true) {
                while (fromClient.read() != '/') {
                    // wait for a sign-on
                }
                while (fromClient.read() != '\n') {
                    // the rest of "/?address!CR LF"
                }
                toClient.write(("/MDA5\\2" + serial + "\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] acknowledgement = new byte[6];
                fromClient.readFully(acknowledgement);
                toClient.write(acknowledgement);
                carryHdlc(fromClient, toClient, hdlcPort);
            }
        } catch (IOException e) {
            // the pseudo-terminals are gone
        }
    }

    /** Forwards one association until the meter closes its end. */
    private static void carryHdlc(InputStream fromClient, OutputStream toClient, int hdlcPort) throws IOException {
        try (Socket meter = new Socket(InetAddress.getLoopbackAddress(), hdlcPort)) {
            Thread back = new Thread(() -> {
                try {
                    meter.getInputStream().transferTo(toClient);
                } catch (IOException e) {
                    // the association ended
                }
            });
            back.setDaemon(true);
            back.start();
            byte[] buffer = new byte[512];
            OutputStream toMeter = meter.getOutputStream();
            while (back.isAlive()) {
                if (fromClient.available() > 0) {
                    toMeter.write(buffer, 0, fromClient.read(buffer));
                } else {
                    try {
                        back.join(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        socat.waitFor(5, TimeUnit.SECONDS);
        meterSide.join(5000);
    }
}

package org.openmuc.jrxtx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jRxTx API on a real pseudo-terminal: one end opened as a serial port, the other with plain file streams. */
class JSerialCommPortTest {

    @TempDir
    Path directory;
    private PseudoTerminalPair pty;
    private SerialPort port;

    @BeforeEach
    void openPort() throws Exception {
        pty = new PseudoTerminalPair(directory);
        port = SerialPortBuilder.newBuilder(pty.portEnd.toString()).setBaudRate(9600).build();
    }

    @AfterEach
    void closePort() throws Exception {
        port.close();
        pty.close();
    }

    @Test
    void bytesFlowBothWays() throws Exception {
        try (OutputStream toPort = new FileOutputStream(pty.peerEnd.toFile());
                DataInputStream fromPort = new DataInputStream(new FileInputStream(pty.peerEnd.toFile()))) {
            port.getOutputStream().write("/?!\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] signOn = new byte[5];
            fromPort.readFully(signOn);
            assertArrayEquals("/?!\r\n".getBytes(StandardCharsets.US_ASCII), signOn);

            toPort.write(new byte[] { 0x7E, (byte) 0xA0, 0x07 });
            toPort.flush();
            port.setSerialPortTimeout(2000);
            byte[] frame = new byte[3];
            assertEquals(3, port.getInputStream().read(frame));
            assertArrayEquals(new byte[] { 0x7E, (byte) 0xA0, 0x07 }, frame);
        }
    }

    @Test
    void aReadFillsTheBufferFromPiecesThatArriveWithinTheTimeout() throws Exception {
        port.setSerialPortTimeout(1000);
        try (OutputStream toPort = new FileOutputStream(pty.peerEnd.toFile())) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    toPort.write(new byte[] { 6, '2' });
                    toPort.flush();
                    Thread.sleep(200);
                    toPort.write(new byte[] { '5', '2', '\r', '\n' });
                    toPort.flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] ack = new byte[6];
            assertEquals(6, port.getInputStream().read(ack));
            assertArrayEquals(new byte[] { 6, '2', '5', '2', '\r', '\n' }, ack);
            writer.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void silenceBeyondTheTimeoutIsATimeout() throws Exception {
        port.setSerialPortTimeout(300);
        long start = System.nanoTime();
        assertThrows(SerialPortTimeoutException.class, () -> port.getInputStream().read());
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited >= 290 && waited < 2000, "waited " + waited + " ms");
    }

    @Test
    void closingThePortEndsAReadThatWaitsForever() throws Exception {
        port.setSerialPortTimeout(0);
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                port.getInputStream().read();
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        Thread.sleep(200);
        port.close();
        assertTrue(port.isClosed());
        Throwable failure = reader.get(5, TimeUnit.SECONDS);
        assertTrue(failure instanceof SerialPortException, "read ended with " + failure);
        assertThrows(SerialPortException.class, () -> port.getInputStream());
    }

    @Test
    void modeESettingsCanBeSwitchedOnAnOpenPort() throws Exception {
        port.setBaudRate(300);
        port.setDataBits(DataBits.DATABITS_7);
        port.setParity(Parity.EVEN);
        port.setStopBits(StopBits.STOPBITS_1);
        assertEquals(300, port.getBaudRate());
        assertEquals(DataBits.DATABITS_7, port.getDataBits());
        assertEquals(Parity.EVEN, port.getParity());

        port.setBaudRate(9600);
        port.setDataBits(DataBits.DATABITS_8);
        port.setParity(Parity.NONE);
        assertEquals(9600, port.getBaudRate());
        assertEquals(DataBits.DATABITS_8, port.getDataBits());
        assertEquals(Parity.NONE, port.getParity());
        assertEquals(FlowControl.NONE, port.getFlowControl());
    }

    @Test
    void aMissingPortIsNotFound() {
        assertThrows(PortNotFoundException.class,
                () -> SerialPortBuilder.newBuilder(directory.resolve("no-such-tty").toString()).build());
    }
}

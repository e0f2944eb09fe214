package org.openmuc.jrxtx;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.fazecast.jSerialComm.SerialPortInvalidPortException;

/**
 * A {@link SerialPort} on a jSerialComm port. jSerialComm reads in short semi-blocking slices, so that this class can
 * apply jRxTx's timeout (which jDLMS changes while a read is pending) and notice a close from another thread.
 */
final class JSerialCommPort implements SerialPort {

    /** Longest a read waits inside jSerialComm before the timeout and the closed flag are checked again. */
    private static final int READ_SLICE_MILLIS = 50;

    private final com.fazecast.jSerialComm.SerialPort port;
    private final String portName;
    private final InputStream input = new PortInputStream();
    private final OutputStream output = new PortOutputStream();
    private volatile boolean closed;
    private volatile int timeoutMillis;
    private int baudRate;
    private DataBits dataBits;
    private Parity parity;
    private StopBits stopBits;
    private FlowControl flowControl;

    private JSerialCommPort(com.fazecast.jSerialComm.SerialPort port, String portName, int baudRate,
            DataBits dataBits, Parity parity, StopBits stopBits, FlowControl flowControl) {
        this.port = port;
        this.portName = portName;
        this.baudRate = baudRate;
        this.dataBits = dataBits;
        this.parity = parity;
        this.stopBits = stopBits;
        this.flowControl = flowControl;
    }

    /** Opens the port with all settings applied at once, as jSerialComm does for settings made before opening. */
    static JSerialCommPort open(String portName, int baudRate, DataBits dataBits, Parity parity, StopBits stopBits,
            FlowControl flowControl) throws IOException {
        com.fazecast.jSerialComm.SerialPort port;
        try {
            port = com.fazecast.jSerialComm.SerialPort.getCommPort(portName);
        } catch (SerialPortInvalidPortException e) {
            throw new PortNotFoundException("serial port not found: " + portName);
        }
        port.setComPortParameters(baudRate, dataBits.count(), stopBits.jSerialComm(), parity.jSerialComm());
        port.setFlowControl(flowControl.jSerialComm());
        port.setComPortTimeouts(com.fazecast.jSerialComm.SerialPort.TIMEOUT_READ_SEMI_BLOCKING
                | com.fazecast.jSerialComm.SerialPort.TIMEOUT_WRITE_BLOCKING, READ_SLICE_MILLIS, 0);
        if (!port.openPort()) {
            if (!new File(port.getSystemPortPath()).exists()) {
                throw new PortNotFoundException("serial port not found: " + portName);
            }
            throw new SerialPortException("cannot open serial port " + portName + " (error "
                    + port.getLastErrorCode() + ")");
        }
        return new JSerialCommPort(port, portName, baudRate, dataBits, parity, stopBits, flowControl);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        requireOpen();
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        requireOpen();
        return output;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!port.closePort()) {
            throw new SerialPortException("cannot close serial port " + portName);
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String getPortName() {
        return portName;
    }

    @Override
    public synchronized DataBits getDataBits() {
        return dataBits;
    }

    @Override
    public synchronized void setDataBits(DataBits dataBits) throws IOException {
        configure(baudRate, dataBits, parity, stopBits);
    }

    @Override
    public synchronized Parity getParity() {
        return parity;
    }

    @Override
    public synchronized void setParity(Parity parity) throws IOException {
        configure(baudRate, dataBits, parity, stopBits);
    }

    @Override
    public synchronized StopBits getStopBits() {
        return stopBits;
    }

    @Override
    public synchronized void setStopBits(StopBits stopBits) throws IOException {
        configure(baudRate, dataBits, parity, stopBits);
    }

    @Override
    public synchronized int getBaudRate() {
        return baudRate;
    }

    @Override
    public synchronized void setBaudRate(int baudRate) throws IOException {
        configure(baudRate, dataBits, parity, stopBits);
    }

    @Override
    public int getSerialPortTimeout() {
        return timeoutMillis;
    }

    @Override
    public void setSerialPortTimeout(int timeoutMillis) throws IOException {
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeoutMillis);
        }
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public synchronized void setFlowControl(FlowControl flowControl) throws IOException {
        requireOpen();
        if (flowControl == this.flowControl) {
            return;
        }
        if (!port.setFlowControl(flowControl.jSerialComm())) {
            throw new SerialPortException("cannot set flow control " + flowControl + " on " + portName);
        }
        this.flowControl = flowControl;
    }

    @Override
    public synchronized FlowControl getFlowControl() {
        return flowControl;
    }

    private synchronized void configure(int baudRate, DataBits dataBits, Parity parity, StopBits stopBits)
            throws IOException {
        requireOpen();
        if (baudRate == this.baudRate && dataBits == this.dataBits && parity == this.parity
                && stopBits == this.stopBits) {
            // unchanged: jSerialComm reports a failure when a pseudo-terminal is given the settings it already has
            return;
        }
        if (!port.setComPortParameters(baudRate, dataBits.count(), stopBits.jSerialComm(), parity.jSerialComm())) {
            throw new SerialPortException("cannot set " + baudRate + " baud " + dataBits + " " + parity + " "
                    + stopBits + " on " + portName);
        }
        this.baudRate = baudRate;
        this.dataBits = dataBits;
        this.parity = parity;
        this.stopBits = stopBits;
    }

    private void requireOpen() throws SerialPortException {
        if (closed) {
            throw new SerialPortException("serial port " + portName + " has been closed");
        }
    }

    /**
     * Reads as jRxTx does: wait for the first byte up to the timeout (then {@link SerialPortTimeoutException}), then
     * keep filling the buffer until it is full or no further byte arrives within the timeout.
     */
    private final class PortInputStream extends InputStream {

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            read(one, 0, 1);
            return one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            int count = readSome(buffer, offset, length);
            if (count == 0) {
                throw new SerialPortTimeoutException("no data from " + portName + " within " + timeoutMillis + " ms");
            }
            while (count < length) {
                int more = readSome(buffer, offset + count, length - count);
                if (more == 0) {
                    break;
                }
                count += more;
            }
            return count;
        }

        /** Up to {@code length} bytes, waiting at most the current timeout for the first; 0 when none came. */
        private int readSome(byte[] buffer, int offset, int length) throws IOException {
            long start = System.nanoTime();
            while (true) {
                requireOpen();
                int count = port.readBytes(buffer, length, offset);
                if (count < 0) {
                    requireOpen();
                    throw new SerialPortException("cannot read from serial port " + portName);
                }
                int timeout = timeoutMillis;
                if (count > 0 || timeout > 0 && (System.nanoTime() - start) / 1_000_000 >= timeout) {
                    return count;
                }
            }
        }

        @Override
        public int available() throws IOException {
            requireOpen();
            return Math.max(0, port.bytesAvailable());
        }

        @Override
        public void close() throws IOException {
            JSerialCommPort.this.close();
        }
    }

    private final class PortOutputStream extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            int written = 0;
            while (written < length) {
                requireOpen();
                int count = port.writeBytes(buffer, length - written, offset + written);
                if (count < 0) {
                    throw new SerialPortException("cannot write to serial port " + portName);
                }
                written += count;
            }
        }

        @Override
        public void close() throws IOException {
            JSerialCommPort.this.close();
        }
    }
}

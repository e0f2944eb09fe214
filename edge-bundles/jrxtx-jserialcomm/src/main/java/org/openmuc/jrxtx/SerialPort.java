package org.openmuc.jrxtx;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * An open serial port. Reads block until data arrives or the {@link #getSerialPortTimeout() timeout} passes, which
 * raises {@link SerialPortTimeoutException}; a timeout of 0 waits forever. Closing the port ends a blocked read with a
 * {@link SerialPortException}.
 */
public interface SerialPort extends Closeable {

    InputStream getInputStream() throws IOException;

    OutputStream getOutputStream() throws IOException;

    @Override
    void close() throws IOException;

    boolean isClosed();

    String getPortName();

    DataBits getDataBits();

    void setDataBits(DataBits dataBits) throws IOException;

    Parity getParity();

    void setParity(Parity parity) throws IOException;

    StopBits getStopBits();

    void setStopBits(StopBits stopBits) throws IOException;

    int getBaudRate();

    void setBaudRate(int baudRate) throws IOException;

    /** Read timeout in milliseconds, 0 for none. */
    int getSerialPortTimeout();

    void setSerialPortTimeout(int timeoutMillis) throws IOException;

    void setFlowControl(FlowControl flowControl) throws IOException;

    FlowControl getFlowControl();
}

package org.openmuc.jrxtx;

import java.io.InterruptedIOException;

/** Nothing arrived on the serial port within {@link SerialPort#getSerialPortTimeout()}. */
public class SerialPortTimeoutException extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    public SerialPortTimeoutException() {
        super();
    }

    public SerialPortTimeoutException(String message) {
        super(message);
    }
}

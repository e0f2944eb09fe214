package org.openmuc.jrxtx;

import java.io.IOException;

/** The serial port could not be opened, configured, read or written, or it has been closed. */
public class SerialPortException extends IOException {
    private static final long serialVersionUID = 1L;

    public SerialPortException(String message) {
        super(message);
    }
}

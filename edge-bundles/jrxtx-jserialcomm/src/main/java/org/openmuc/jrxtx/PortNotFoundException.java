package org.openmuc.jrxtx;

/** No serial port of the given name exists. */
public class PortNotFoundException extends SerialPortException {
    private static final long serialVersionUID = 1L;

    public PortNotFoundException(String message) {
        super(message);
    }
}

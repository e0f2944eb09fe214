package org.openmuc.jrxtx;

/** Parity bit of a character. */
public enum Parity {
    NONE(com.fazecast.jSerialComm.SerialPort.NO_PARITY),
    ODD(com.fazecast.jSerialComm.SerialPort.ODD_PARITY),
    EVEN(com.fazecast.jSerialComm.SerialPort.EVEN_PARITY),
    MARK(com.fazecast.jSerialComm.SerialPort.MARK_PARITY),
    SPACE(com.fazecast.jSerialComm.SerialPort.SPACE_PARITY);

    private final int jSerialComm;

    Parity(int jSerialComm) {
        this.jSerialComm = jSerialComm;
    }

    int jSerialComm() {
        return jSerialComm;
    }
}

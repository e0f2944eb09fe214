package org.openmuc.jrxtx;

/** Number of stop bits after a character. */
public enum StopBits {
    STOPBITS_1(com.fazecast.jSerialComm.SerialPort.ONE_STOP_BIT),
    STOPBITS_1_5(com.fazecast.jSerialComm.SerialPort.ONE_POINT_FIVE_STOP_BITS),
    STOPBITS_2(com.fazecast.jSerialComm.SerialPort.TWO_STOP_BITS);

    private final int jSerialComm;

    StopBits(int jSerialComm) {
        this.jSerialComm = jSerialComm;
    }

    int jSerialComm() {
        return jSerialComm;
    }
}

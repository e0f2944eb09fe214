package org.openmuc.jrxtx;

import com.fazecast.jSerialComm.SerialPort;

/** Hardware or software flow control, in both directions. */
public enum FlowControl {
    NONE(SerialPort.FLOW_CONTROL_DISABLED),
    RTS_CTS(SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED),
    XON_XOFF(SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED);

    private final int jSerialComm;

    FlowControl(int jSerialComm) {
        this.jSerialComm = jSerialComm;
    }

    int jSerialComm() {
        return jSerialComm;
    }
}

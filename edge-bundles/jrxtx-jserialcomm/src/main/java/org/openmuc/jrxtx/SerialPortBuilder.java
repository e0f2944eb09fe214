package org.openmuc.jrxtx;

import java.io.IOException;
import java.util.Arrays;

/** Opens a {@link SerialPort}: 9600 baud, 8 data bits, no parity, 1 stop bit, no flow control unless set. */
public class SerialPortBuilder {

    private String portName;
    private int baudRate = 9600;
    private DataBits dataBits = DataBits.DATABITS_8;
    private Parity parity = Parity.NONE;
    private StopBits stopBits = StopBits.STOPBITS_1;
    private FlowControl flowControl = FlowControl.NONE;

    private SerialPortBuilder(String portName) {
        this.portName = portName;
    }

    /** The system's serial ports, as jSerialComm enumerates them. */
    public static String[] getSerialPortNames() {
        return Arrays.stream(com.fazecast.jSerialComm.SerialPort.getCommPorts())
                .map(com.fazecast.jSerialComm.SerialPort::getSystemPortPath)
                .toArray(String[]::new);
    }

    public static SerialPortBuilder newBuilder(String portName) {
        return new SerialPortBuilder(portName);
    }

    public SerialPortBuilder setPortName(String portName) {
        this.portName = portName;
        return this;
    }

    public SerialPortBuilder setBaudRate(int baudRate) {
        this.baudRate = baudRate;
        return this;
    }

    public SerialPortBuilder setDataBits(DataBits dataBits) {
        this.dataBits = dataBits;
        return this;
    }

    public SerialPortBuilder setParity(Parity parity) {
        this.parity = parity;
        return this;
    }

    public SerialPortBuilder setStopBits(StopBits stopBits) {
        this.stopBits = stopBits;
        return this;
    }

    public SerialPortBuilder setFlowControl(FlowControl flowControl) {
        this.flowControl = flowControl;
        return this;
    }

    /**
     * Opens the port with the settings given so far.
     *
     * @throws PortNotFoundException when no such port exists
     * @throws SerialPortException when it exists but cannot be opened or configured
     */
    public SerialPort build() throws IOException {
        return JSerialCommPort.open(portName, baudRate, dataBits, parity, stopBits, flowControl);
    }
}

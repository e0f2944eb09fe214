package org.medida.edge.api;

import java.util.Objects;

/**
 * How the gateway reaches a meter. Every link names the physical {@link #channel()} it runs over (a PLC segment, an
 * RF modem, a serial port): a channel carries one DLMS conversation at a time, so meters that share one are read
 * one after the other, while different channels are read in parallel.
 */
public sealed interface MeterLink {

    /** Identifies the physical medium; meters with the same channel never talk at the same time. */
    String channel();

    /** IP-connected meter, or a modem exposing it over TCP, speaking the DLMS/COSEM wrapper (IEC 62056-47). */
    record TcpWrapper(String host, int port, int logicalDevice, String channel) implements MeterLink {
        public TcpWrapper {
            requireEndpoint(host, port);
            channel = channel == null || channel.isBlank() ? host + ":" + port : channel;
        }

        public TcpWrapper(String host, int port) {
            this(host, port, 1, null);
        }
    }

    /** HDLC (IEC 62056-46) carried over TCP, as PLC and RF data concentrator modems expose it. */
    record TcpHdlc(String host, int port, int physicalAddress, int logicalDevice, String channel) implements MeterLink {
        public TcpHdlc {
            requireEndpoint(host, port);
            channel = channel == null || channel.isBlank() ? host + ":" + port : channel;
        }

        public TcpHdlc(String host, int port) {
            this(host, port, 16, 1, null);
        }
    }

    /**
     * Optical probe or RS-485 port: IEC 62056-21 mode E sign-on at 300 baud, then HDLC. The serial port is the
     * channel.
     */
    record SerialModeE(String portName, String iec21Address, int physicalAddress, int logicalDevice)
            implements MeterLink {
        public SerialModeE {
            Objects.requireNonNull(portName, "portName");
            iec21Address = iec21Address == null ? "" : iec21Address;
        }

        public SerialModeE(String portName) {
            this(portName, "", 16, 1);
        }

        @Override
        public String channel() {
            return portName;
        }
    }

    private static void requireEndpoint(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}

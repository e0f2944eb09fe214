package org.medida.simulator;

/** How a client reaches a simulated meter. */
public enum Transport {
    /** TCP with the DLMS/COSEM wrapper (IEC 62056-47). */
    WRAPPER,
    /** HDLC (IEC 62056-46) carried over TCP, as PLC and RF modems expose it. */
    HDLC,
    /** A pseudo-terminal pair (socat): IEC 62056-21 mode E sign-on, then HDLC. */
    SERIAL
}

package org.medida.simulator;

import java.time.Instant;
import org.medida.simulator.model.MeterModel;

/** One meter of a {@link MeterFleet}: how to reach it, its keys, and what it measured. */
public interface SimulatedMeter {

    String serial();

    Transport transport();

    /** TCP port (WRAPPER and HDLC; for SERIAL the internal HDLC port behind the pseudo-terminal). */
    int port();

    /** Client side of the pseudo-terminal pair for SERIAL, null otherwise. */
    String serialDevice();

    /** Logical device (server SAP / HDLC upper address) a client must address. */
    int logicalDevice();

    /** HDLC lower (physical) address. */
    int physicalAddress();

    MeterKeys keys();

    /** The deterministic generator: what the meter measured and stores, the expected values for tests. */
    MeterModel model();

    /** The meter's clock now, with drift and acceleration. */
    Instant clock();

    /** Disconnector output_state. */
    boolean relayClosed();

    /** Replaces the link emulation at run time (powered-off windows also reshape the meter's history). */
    void setLink(LinkEmulation link);

    LinkEmulation link();

    /**
     * Response APDUs the meter has sent since it started, each after the emulated latency: the request/response
     * exchanges a link-bound benchmark multiplies by the latency.
     */
    long responses();
}

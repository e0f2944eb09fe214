package org.medida.simulator.link;

import java.time.Instant;
import org.medida.simulator.LinkEmulation;

/** What the session layer needs to know about the meter a connection talks to. */
public interface MeterEndpoint {

    LinkEmulation link();

    /** The meter's clock, against which link windows are checked. */
    Instant now();

    InvocationCounterGuard invocationCounters();

    /** A replayed invocation counter was refused: the meter logs a fraud event. */
    void replayDetected();

    /** A response APDU went out to the client, after the emulated latency. */
    void responded();
}

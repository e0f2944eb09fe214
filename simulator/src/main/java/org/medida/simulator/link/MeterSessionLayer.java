package org.medida.simulator.link;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import org.medida.simulator.LinkEmulation;
import org.openmuc.jdlms.sessionlayer.server.ServerSessionLayer;
import org.openmuc.jdlms.transportlayer.StreamAccessor;

/**
 * Sits between jDLMS's server session layer (wrapper or HDLC) and its association: emulates the link (silence while
 * unreachable or powered off, latency and jitter before every response, lost responses), refuses replayed
 * invocation counters, and tells jDLMS which security suite applies (see {@link ClientIdentity}).
 */
final class MeterSessionLayer implements ServerSessionLayer {

    private final ServerSessionLayer inner;
    private final StreamAccessor stream;
    private final PortGroup port;
    private final CallingClient callingClient;
    private MeterEndpoint meter;
    private int clientId = -1;
    /** Invocation counter of the request being served, kept once the meter proves it could decipher it. */
    private OptionalLong pendingCounter = OptionalLong.empty();

    MeterSessionLayer(ServerSessionLayer inner, StreamAccessor stream, PortGroup port, CallingClient callingClient) {
        this.inner = inner;
        this.stream = stream;
        this.port = port;
        this.callingClient = callingClient;
    }

    @Override
    public void initialize() throws IOException {
        if (!port.anyAnswers()) {
            ignoreUntilClosed();
        }
        inner.initialize();
    }

    @Override
    public byte[] readNextMessage() throws IOException {
        while (true) {
            byte[] apdu = inner.readNextMessage();
            if (meter == null) {
                meter = port.meter(inner.getLogicalDeviceId());
                if (meter == null) {
                    // jDLMS would fail on an unknown logical device with a NullPointerException: close cleanly
                    throw new IOException("no logical device " + inner.getLogicalDeviceId() + " on this port");
                }
            }
            if (!meter.link().answersAt(meter.now())) {
                continue;
            }
            if (clientId < 0) {
                if (!Apdus.isAarq(apdu)) {
                    throw new IOException("an association has to start with an AARQ");
                }
                clientId = ClientIdentity.of(inner.getClientId(), apdu);
                if (!ClientIdentity.known(clientId)) {
                    throw new IOException("no association for client SAP " + inner.getClientId());
                }
            }
            int sap = inner.getClientId();
            OptionalLong counter = Apdus.invocationCounter(apdu);
            if (counter.isPresent() && !meter.invocationCounters().isFresh(sap, counter.getAsLong())) {
                meter.replayDetected();
                if (Apdus.isAarq(apdu)) {
                    throw new IOException("AARQ with a replayed invocation counter");
                }
                inner.send(Apdus.invocationCounterError(meter.invocationCounters().lastAccepted(sap) + 1));
                continue;
            }
            pendingCounter = counter;
            callingClient.set(clientId);
            return apdu;
        }
    }

    @Override
    public void send(byte[] apdu) throws IOException {
        if (pendingCounter.isPresent() && Apdus.isCipheredResponse(apdu)) {
            meter.invocationCounters().accept(inner.getClientId(), pendingCounter.getAsLong());
        }
        pendingCounter = OptionalLong.empty();
        if (meter != null) {
            LinkEmulation link = meter.link();
            if (!link.answersAt(meter.now())) {
                return;
            }
            delay(link);
            if (ThreadLocalRandom.current().nextDouble() < link.loss()) {
                return;
            }
            meter.responded();
        }
        inner.send(apdu);
    }

    @Override
    public int getClientId() {
        return clientId >= 0 ? clientId : inner.getClientId();
    }

    @Override
    public int getLogicalDeviceId() {
        return inner.getLogicalDeviceId();
    }

    @Override
    public void close() throws IOException {
        callingClient.clear();
        inner.close();
    }

    private static void delay(LinkEmulation link) throws IOException {
        long jitterMillis = link.jitter().toMillis();
        long jitter = jitterMillis == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitterMillis + 1);
        Duration delay = link.latency().plusMillis(jitter);
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while emulating latency", e);
        }
    }

    /** An unreachable meter accepts the connection but never answers: the client has to time out. */
    private void ignoreUntilClosed() throws IOException {
        InputStream in = stream.getInputStream();
        byte[] sink = new byte[256];
        while (in.read(sink) >= 0) {
            if (port.anyAnswers()) {
                break;
            }
        }
        throw new IOException("connection to an unreachable meter ended");
    }
}

package org.medida.simulator.link;

import java.util.HashMap;
import java.util.Map;

/**
 * The last invocation counter a meter accepted from each client SAP, across associations: a ciphered APDU is only
 * accepted with a strictly greater counter, so a recorded frame cannot be replayed.
 */
public final class InvocationCounterGuard {

    private final Map<Integer, Long> lastAccepted = new HashMap<>();

    /** Whether {@code counter} is greater than every counter accepted from {@code clientSap} so far. */
    public synchronized boolean isFresh(int clientSap, long counter) {
        Long last = lastAccepted.get(clientSap);
        return last == null || counter > last;
    }

    /**
     * Remembers {@code counter} as used. Called only once the meter could decipher the APDU, so that a forged frame
     * with a huge counter cannot lock the real client out.
     */
    public synchronized void accept(int clientSap, long counter) {
        lastAccepted.merge(clientSap, counter, Math::max);
    }

    /** The last accepted counter of a client, or -1 when none was seen yet. */
    public synchronized long lastAccepted(int clientSap) {
        return lastAccepted.getOrDefault(clientSap, -1L);
    }
}

package org.medida.simulator.link;

import java.util.HashMap;
import java.util.Map;

/**
 * The last invocation counter a meter accepted from each client SAP, across associations: a ciphered APDU is only
 * accepted with a strictly greater counter, so a recorded frame cannot be replayed.
 */
public final class InvocationCounterGuard {

    private final Map<Integer, Long> lastAccepted = new HashMap<>();

    /** Records {@code counter} for {@code clientSap} and returns true, or returns false for a replay. */
    public synchronized boolean accept(int clientSap, long counter) {
        Long last = lastAccepted.get(clientSap);
        if (last != null && counter <= last) {
            return false;
        }
        lastAccepted.put(clientSap, counter);
        return true;
    }

    /** The last accepted counter of a client, or -1 when none was seen yet. */
    public synchronized long lastAccepted(int clientSap) {
        return lastAccepted.getOrDefault(clientSap, -1L);
    }
}

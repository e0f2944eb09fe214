package org.medida.simulator.link;

import org.medida.simulator.cosem.Authorization;

/**
 * The client SAP of the association being served on the current thread: jDLMS handles each association's requests on
 * the thread that reads them, so the session layer records the client before handing a request over. Only the
 * management client (LLS or HLS5-GMAC) may change a meter; the public client reads.
 */
public final class CallingClient implements Authorization {

    private final ThreadLocal<Integer> client = new ThreadLocal<>();

    void set(int clientId) {
        client.set(clientId);
    }

    void clear() {
        client.remove();
    }

    @Override
    public boolean mayChange() {
        Integer id = client.get();
        return id != null && (id == ClientIdentity.MANAGEMENT_CLIENT || id == ClientIdentity.MANAGEMENT_CLIENT_LLS);
    }
}

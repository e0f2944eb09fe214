package org.medida.simulator.link;

import java.util.OptionalInt;

/**
 * Client SAPs as jDLMS sees them. IDIS lets the management client (SAP 1) associate with either LLS or HLS5-GMAC,
 * but jDLMS binds one security suite to each client id; so a SAP 1 association that asks for LLS is presented to
 * jDLMS under an internal id that carries the LLS suite. The id never reaches the wire.
 */
public final class ClientIdentity {

    public static final int PUBLIC_CLIENT = 16;
    public static final int MANAGEMENT_CLIENT = 1;
    /** Outside the 16-bit wrapper and 7-bit HDLC client address ranges, so no real client can claim it. */
    public static final int MANAGEMENT_CLIENT_LLS = 0x10001;

    private ClientIdentity() {
    }

    /** Whether jDLMS has a security suite for this (mapped) client id. */
    static boolean known(int clientId) {
        return clientId == PUBLIC_CLIENT || clientId == MANAGEMENT_CLIENT || clientId == MANAGEMENT_CLIENT_LLS;
    }

    static int of(int clientSap, byte[] firstApdu) {
        if (clientSap == MANAGEMENT_CLIENT && Apdus.isAarq(firstApdu)) {
            OptionalInt mechanism = Apdus.mechanism(firstApdu);
            if (mechanism.isPresent() && mechanism.getAsInt() == Apdus.MECHANISM_LLS) {
                return MANAGEMENT_CLIENT_LLS;
            }
        }
        return clientSap;
    }
}

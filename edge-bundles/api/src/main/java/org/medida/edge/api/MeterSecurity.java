package org.medida.edge.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * The client association a gateway opens with a meter, IDIS style: the public client (SAP 16) without security, or
 * the management client (SAP 1) with a low-level password or HLS5-GMAC (AES-GCM-128 with per-meter keys).
 * Secrets never appear in {@link #toString()}.
 */
public record MeterSecurity(Level level, int clientSap, byte[] password, byte[] encryptionKey,
        byte[] authenticationKey) {

    public static final int PUBLIC_CLIENT_SAP = 16;
    public static final int MANAGEMENT_CLIENT_SAP = 1;

    public enum Level {
        /** No authentication, no ciphering: the public client. */
        NONE,
        /** Low-level security: a password in the association request. */
        LLS,
        /** High-level security mechanism 5: GMAC authentication, AES-GCM-128 ciphering of every APDU. */
        HLS5_GMAC
    }

    public MeterSecurity {
        Objects.requireNonNull(level, "level");
        switch (level) {
            case NONE -> { }
            case LLS -> Objects.requireNonNull(password, "LLS needs a password");
            case HLS5_GMAC -> {
                requireAesKey(encryptionKey, "encryption key");
                requireAesKey(authenticationKey, "authentication key");
            }
        }
        password = copy(password);
        encryptionKey = copy(encryptionKey);
        authenticationKey = copy(authenticationKey);
    }

    public static MeterSecurity publicClient() {
        return new MeterSecurity(Level.NONE, PUBLIC_CLIENT_SAP, null, null, null);
    }

    public static MeterSecurity lowLevel(byte[] password) {
        return new MeterSecurity(Level.LLS, MANAGEMENT_CLIENT_SAP, password, null, null);
    }

    public static MeterSecurity hls5Gmac(byte[] encryptionKey, byte[] authenticationKey) {
        return new MeterSecurity(Level.HLS5_GMAC, MANAGEMENT_CLIENT_SAP, null, encryptionKey, authenticationKey);
    }

    @Override
    public byte[] password() {
        return copy(password);
    }

    @Override
    public byte[] encryptionKey() {
        return copy(encryptionKey);
    }

    @Override
    public byte[] authenticationKey() {
        return copy(authenticationKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeterSecurity s && level == s.level && clientSap == s.clientSap
                && Arrays.equals(password, s.password) && Arrays.equals(encryptionKey, s.encryptionKey)
                && Arrays.equals(authenticationKey, s.authenticationKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(level, clientSap, Arrays.hashCode(password), Arrays.hashCode(encryptionKey),
                Arrays.hashCode(authenticationKey));
    }

    @Override
    public String toString() {
        return "MeterSecurity[" + level + ", client SAP " + clientSap + "]";
    }

    private static void requireAesKey(byte[] key, String what) {
        if (key == null || key.length != 16) {
            throw new IllegalArgumentException("HLS5-GMAC needs a 16-byte " + what);
        }
    }

    private static byte[] copy(byte[] b) {
        return b == null ? null : b.clone();
    }
}

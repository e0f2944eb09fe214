package org.medida.simulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A meter's security material, derived from a fleet-wide seed so that the demo, the tests and the driver can compute
 * any meter's keys without a key file. With {@code H(label) = HMAC-SHA256(key = UTF-8(keySeed), UTF-8(label + ":" +
 * serial))}:
 * <ul>
 * <li>LLS password: the first 4 bytes of {@code H("password")} as 8 lower-case hex ASCII characters;</li>
 * <li>global unicast encryption key: the first 16 bytes of {@code H("encryption")};</li>
 * <li>authentication key: the first 16 bytes of {@code H("authentication")};</li>
 * <li>system title: ASCII "MDA" followed by the first 5 bytes of {@code H("system-title")};</li>
 * <li>master key (key-encryption key, for key transfer only): the first 16 bytes of {@code H("master")}.</li>
 * </ul>
 * Secrets never appear in {@link #toString()}.
 */
public record MeterKeys(byte[] password, byte[] encryptionKey, byte[] authenticationKey, byte[] systemTitle,
        byte[] masterKey) {

    public static final String MANUFACTURER_ID = "MDA";

    public MeterKeys {
        password = password.clone();
        encryptionKey = encryptionKey.clone();
        authenticationKey = authenticationKey.clone();
        systemTitle = systemTitle.clone();
        masterKey = masterKey.clone();
    }

    public static MeterKeys derive(String keySeed, String serial) {
        byte[] password = HexFormat.of().formatHex(hmac(keySeed, "password", serial), 0, 4)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] systemTitle = new byte[8];
        System.arraycopy(MANUFACTURER_ID.getBytes(StandardCharsets.US_ASCII), 0, systemTitle, 0, 3);
        System.arraycopy(hmac(keySeed, "system-title", serial), 0, systemTitle, 3, 5);
        return new MeterKeys(password, Arrays.copyOf(hmac(keySeed, "encryption", serial), 16),
                Arrays.copyOf(hmac(keySeed, "authentication", serial), 16), systemTitle,
                Arrays.copyOf(hmac(keySeed, "master", serial), 16));
    }

    /** The 5-byte device part of the system title as jDLMS's {@code LogicalDevice} expects it. */
    public long deviceId() {
        long id = 0;
        for (int i = 3; i < 8; i++) {
            id = id << 8 | (systemTitle[i] & 0xFF);
        }
        return id;
    }

    @Override
    public byte[] password() {
        return password.clone();
    }

    @Override
    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    @Override
    public byte[] authenticationKey() {
        return authenticationKey.clone();
    }

    @Override
    public byte[] systemTitle() {
        return systemTitle.clone();
    }

    @Override
    public byte[] masterKey() {
        return masterKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeterKeys k && Arrays.equals(password, k.password)
                && Arrays.equals(encryptionKey, k.encryptionKey)
                && Arrays.equals(authenticationKey, k.authenticationKey) && Arrays.equals(systemTitle, k.systemTitle)
                && Arrays.equals(masterKey, k.masterKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(systemTitle);
    }

    @Override
    public String toString() {
        return "MeterKeys[system title " + HexFormat.of().formatHex(systemTitle) + "]";
    }

    private static byte[] hmac(String keySeed, String label, String serial) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keySeed.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal((label + ":" + serial).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}

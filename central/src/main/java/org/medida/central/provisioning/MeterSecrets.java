package org.medida.central.provisioning;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A meter's password and DLMS keys as {@code meters.secrets_encrypted} holds them once opened by {@link SecretBox}:
 * UTF-8 lines {@code password=<text>}, {@code encryption_key=<hex>}, {@code authentication_key=<hex>}, each value
 * possibly empty. Never logged: {@link #toString()} names which secrets are set, not their values.
 */
public record MeterSecrets(String password, String encryptionKey, String authenticationKey) {

    public static final MeterSecrets NONE = new MeterSecrets("", "", "");

    private static final Pattern AES_KEY = Pattern.compile("[0-9a-f]{32}");

    public MeterSecrets {
        password = password == null ? "" : password;
        encryptionKey = encryptionKey == null ? "" : encryptionKey.toLowerCase(Locale.ROOT);
        authenticationKey = authenticationKey == null ? "" : authenticationKey.toLowerCase(Locale.ROOT);
        if (password.contains("\n") || password.contains("\r")) {
            throw new IllegalArgumentException("password must be one line");
        }
        requireKey(encryptionKey, "encryptionKey");
        requireKey(authenticationKey, "authenticationKey");
    }

    private static void requireKey(String key, String field) {
        if (!key.isEmpty() && !AES_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(field + " must be 32 hexadecimal digits (an AES-128 key)");
        }
    }

    /** The plaintext that is sealed. */
    public byte[] plaintext() {
        return ("password=" + password + "\nencryption_key=" + encryptionKey + "\nauthentication_key="
                + authenticationKey).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@link #plaintext()}; lines in another order or missing ones are accepted, unknown ones are not. */
    public static MeterSecrets parse(byte[] plaintext) {
        String password = "";
        String encryptionKey = "";
        String authenticationKey = "";
        for (String line : new String(plaintext, StandardCharsets.UTF_8).split("\n", -1)) {
            int equals = line.indexOf('=');
            String name = equals < 0 ? line : line.substring(0, equals);
            String value = equals < 0 ? "" : line.substring(equals + 1);
            switch (name) {
                case "password" -> password = value;
                case "encryption_key" -> encryptionKey = value;
                case "authentication_key" -> authenticationKey = value;
                case "" -> { }
                default -> throw new IllegalArgumentException("unknown secret '" + name + "'");
            }
        }
        return new MeterSecrets(password, encryptionKey, authenticationKey);
    }

    /** The sealed form stored in the database. */
    public String seal(SecretBox box) {
        return box.seal(plaintext());
    }

    /** The secrets of a sealed form; {@link #NONE} for an empty one (a meter never given secrets). */
    public static MeterSecrets open(SecretBox box, String sealed) {
        return sealed == null || sealed.isEmpty() ? NONE : parse(box.open(sealed));
    }

    public byte[] passwordBytes() {
        return password.isEmpty() ? null : password.getBytes(StandardCharsets.UTF_8);
    }

    public byte[] encryptionKeyBytes() {
        return encryptionKey.isEmpty() ? null : HexFormat.of().parseHex(encryptionKey);
    }

    public byte[] authenticationKeyBytes() {
        return authenticationKey.isEmpty() ? null : HexFormat.of().parseHex(authenticationKey);
    }

    @Override
    public String toString() {
        return "MeterSecrets[password " + (password.isEmpty() ? "unset" : "set") + ", encryption key "
                + (encryptionKey.isEmpty() ? "unset" : "set") + ", authentication key "
                + (authenticationKey.isEmpty() ? "unset" : "set") + "]";
    }
}

package org.medida.central.provisioning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts meter secrets (passwords, DLMS keys) for the database with AES-256-GCM under central's key file (X4):
 * a database dump alone reveals no key. The stored form is base64 of a 12-byte nonce followed by the ciphertext
 * and tag. The key file is created, readable by its owner only, the first time central starts.
 */
public final class SecretBox {

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The box of {@code keyFile}, creating the file with a new random key if it does not exist. */
    public static SecretBox open(Path keyFile) throws IOException {
        if (!Files.exists(keyFile)) {
            byte[] key = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(key);
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(key), StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions: the directory's protection is all there is
            }
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(keyFile).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException("key file " + keyFile + " is not base64", e);
        }
        if (key.length != KEY_BYTES) {
            throw new IOException("key file " + keyFile + " must hold a " + KEY_BYTES + "-byte key, not " + key.length);
        }
        return new SecretBox(key);
    }

    /** The stored form of {@code plaintext}. */
    public String seal(byte[] plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plaintext of a stored form; {@link IllegalArgumentException} if it was not sealed with this key. */
    public byte[] open(String stored) {
        byte[] in;
        try {
            in = Base64.getDecoder().decode(stored);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sealed secret is not base64");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("sealed secret is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            return cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("sealed secret does not open with this key file");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}

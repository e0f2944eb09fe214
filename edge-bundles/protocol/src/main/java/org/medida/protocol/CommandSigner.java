package org.medida.protocol;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Objects;

/** Central's side of X2: signs command requests with its Ed25519 private key ({@link Payloads#encodeSignedTask}). */
public final class CommandSigner {

    /** An Ed25519 signature is always 64 bytes. */
    public static final int SIGNATURE_BYTES = 64;
    static final String ALGORITHM = "Ed25519";

    private final PrivateKey key;

    public CommandSigner(PrivateKey key) {
        this.key = Objects.requireNonNull(key, "key");
        if (!ALGORITHM.equalsIgnoreCase(key.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
            throw new IllegalArgumentException("command keys are Ed25519, not " + key.getAlgorithm());
        }
    }

    byte[] sign(byte[] message) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with Ed25519: " + e.getMessage(), e);
        }
    }
}

package org.medida.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/** The gateway's side of X2: checks that a signed command request was signed by central's key. */
public final class CommandVerifier {

    private final PublicKey key;

    public CommandVerifier(PublicKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * The verifier of central's public key as configured at the gateway: base64 of its X.509 encoding.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code base64}
     */
    public static CommandVerifier ofBase64(String base64) {
        try {
            byte[] encoded = Base64.getDecoder().decode(base64.strip());
            return new CommandVerifier(KeyFactory.getInstance(CommandSigner.ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(encoded)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the command public key is not a base64 Ed25519 public key: "
                    + e.getMessage(), e);
        }
    }

    /** Base64 of {@code key}'s X.509 encoding, as {@link #ofBase64} reads it. */
    public static String toBase64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** Whether {@code request} is signed and its signature is this key's over exactly its bytes. */
    public boolean verify(CommandRequest request) {
        if (!request.isSigned()) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance(CommandSigner.ALGORITHM);
            signature.initVerify(key);
            signature.update(request.signedBytes());
            return signature.verify(request.signature());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

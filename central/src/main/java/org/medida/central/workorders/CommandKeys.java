package org.medida.central.workorders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import org.medida.protocol.CommandSigner;
import org.medida.protocol.CommandVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Central's Ed25519 command key pair (X2), in two files next to the database: {@code <database>.command-key} (the
 * private key, PKCS#8 in base64, readable by its owner only) and {@code <database>.command-key.pub} (the public key
 * as the gateways' uplink configuration {@code commandPublicKey} takes it). Created on first start; a gateway
 * configured with the public key runs supply-state commands only when signed with the private one.
 */
public final class CommandKeys {

    private static final Logger LOG = LoggerFactory.getLogger(CommandKeys.class);
    private static final String ALGORITHM = "Ed25519";

    private final CommandSigner signer;
    private final String publicKeyBase64;
    private final Path publicKeyFile;

    private CommandKeys(PrivateKey privateKey, PublicKey publicKey, Path publicKeyFile) {
        this.signer = new CommandSigner(privateKey);
        this.publicKeyBase64 = CommandVerifier.toBase64(publicKey);
        this.publicKeyFile = publicKeyFile;
    }

    /** The key pair kept next to {@code database}, created if it does not exist yet. */
    public static CommandKeys nextTo(Path database) throws IOException {
        Path privateFile = database.resolveSibling(database.getFileName() + ".command-key");
        Path publicFile = database.resolveSibling(database.getFileName() + ".command-key.pub");
        try {
            KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
            if (!Files.exists(privateFile)) {
                create(privateFile, publicFile);
            }
            byte[] encodedPrivate = decode(Files.readString(privateFile, StandardCharsets.US_ASCII), privateFile);
            byte[] encodedPublic = decode(Files.readString(publicFile, StandardCharsets.US_ASCII), publicFile);
            LOG.info("Command public key (the gateways' uplink commandPublicKey), also in {}: {}", publicFile,
                    Files.readString(publicFile, StandardCharsets.US_ASCII).strip());
            return new CommandKeys(factory.generatePrivate(new PKCS8EncodedKeySpec(encodedPrivate)),
                    factory.generatePublic(new X509EncodedKeySpec(encodedPublic)), publicFile);
        } catch (GeneralSecurityException e) {
            throw new IOException("the command key files " + privateFile + " and " + publicFile
                    + " do not hold an Ed25519 key pair: " + e.getMessage(), e);
        }
    }

    private static void create(Path privateFile, Path publicFile) throws IOException, GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        Base64.Encoder base64 = Base64.getEncoder();
        try {
            Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(privateFile); // not a POSIX file system: the directory's protection applies
        } catch (FileAlreadyExistsException e) {
            return; // another process made it first
        }
        Files.writeString(privateFile, base64.encodeToString(pair.getPrivate().getEncoded()) + "\n",
                StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        Files.writeString(publicFile, CommandVerifier.toBase64(pair.getPublic()) + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
    }

    private static byte[] decode(String text, Path file) throws IOException {
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not base64: " + e.getMessage(), e);
        }
    }

    /** Signs command requests with the private key. */
    public CommandSigner signer() {
        return signer;
    }

    /** The public key for the gateways' {@code commandPublicKey} (uplink configuration). */
    public String publicKeyBase64() {
        return publicKeyBase64;
    }

    /** Where the public key is written. */
    public Path publicKeyFile() {
        return publicKeyFile;
    }
}

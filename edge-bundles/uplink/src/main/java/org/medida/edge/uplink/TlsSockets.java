package org.medida.edge.uplink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.medida.edge.uplink.UplinkSettings.TlsMaterial;

/** The TLS sockets to the broker: trust the configured CA, present the gateway's own certificate if it has one. */
final class TlsSockets {

    private TlsSockets() {
    }

    static SSLSocketFactory from(TlsMaterial material) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(material.trustStore(), material.trustStorePassword()));
            KeyManager[] keys = null;
            if (material.keyStore().isPresent()) {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(load(material.keyStore().get(), material.keyStorePassword()),
                        material.keyStorePassword().toCharArray());
                keys = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS from " + material + ": " + e.getMessage(), e);
        }
    }

    /** PKCS12 or JKS: the JVM's default key store type reads both. */
    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}

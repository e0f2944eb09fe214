package org.medida.edge.uplink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.medida.edge.uplink.UplinkSettings.TlsMaterial;
import org.medida.testing.MosquittoBroker;

/**
 * A CA, a broker certificate for 127.0.0.1 and a gateway's client certificate made with openssl; a PKCS12 trust
 * store made with keytool and the gateway's PKCS12 key store made with openssl.
 */
record TestCertificates(Path ca, Path brokerCertificate, Path brokerKey, Path trustStore, Path gatewayKeyStore) {

    static final String TRUST_PASSWORD = "trust-secret";
    static final String KEY_PASSWORD = "key-secret";

    static TestCertificates create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.crt");
        Path caKey = dir.resolve("ca.key");
        Path key = dir.resolve("broker.key");
        Path request = dir.resolve("broker.csr");
        Path certificate = dir.resolve("broker.crt");
        Path extensions = dir.resolve("broker.ext");
        Path trust = dir.resolve("trust.p12");
        Files.writeString(extensions, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out",
                ca.toString(), "-days", "2", "-subj", "/CN=Medida test CA");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                request.toString(), "-subj", "/CN=127.0.0.1");
        run(dir, "openssl", "x509", "-req", "-in", request.toString(), "-CA", ca.toString(), "-CAkey",
                caKey.toString(), "-CAcreateserial", "-out", certificate.toString(), "-days", "2", "-extfile",
                extensions.toString());
        run(dir, "keytool", "-importcert", "-noprompt", "-alias", "medida-test-ca", "-file", ca.toString(),
                "-keystore", trust.toString(), "-storetype", "PKCS12", "-storepass", TRUST_PASSWORD);
        Path gatewayKey = dir.resolve("gateway.key");
        Path gatewayRequest = dir.resolve("gateway.csr");
        Path gatewayCertificate = dir.resolve("gateway.crt");
        Path gatewayStore = dir.resolve("gateway.p12");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", gatewayKey.toString(), "-out",
                gatewayRequest.toString(), "-subj", "/CN=gw-tls");
        run(dir, "openssl", "x509", "-req", "-in", gatewayRequest.toString(), "-CA", ca.toString(), "-CAkey",
                caKey.toString(), "-CAcreateserial", "-out", gatewayCertificate.toString(), "-days", "2");
        run(dir, "openssl", "pkcs12", "-export", "-in", gatewayCertificate.toString(), "-inkey",
                gatewayKey.toString(), "-name", "gateway", "-out", gatewayStore.toString(), "-passout",
                "pass:" + KEY_PASSWORD);
        return new TestCertificates(ca, certificate, key, trust, gatewayStore);
    }

    MosquittoBroker.Tls brokerTls(boolean requireClientCertificate) {
        return new MosquittoBroker.Tls(ca, brokerCertificate, brokerKey, requireClientCertificate);
    }

    /** Trusts the CA; presents no certificate. */
    TlsMaterial trust() {
        return new TlsMaterial(trustStore, TRUST_PASSWORD, Optional.empty(), "");
    }

    /** Trusts the CA and presents the gateway's certificate. */
    TlsMaterial trustAndIdentity() {
        return new TlsMaterial(trustStore, TRUST_PASSWORD, Optional.of(gatewayKeyStore), KEY_PASSWORD);
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process tool = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(tool.getInputStream().readAllBytes());
        if (tool.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}

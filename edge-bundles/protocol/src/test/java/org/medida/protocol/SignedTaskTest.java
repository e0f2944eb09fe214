package org.medida.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.Priority;
import org.medida.edge.api.TaskKind;

class SignedTaskTest {

    private static final MeterTask DISCONNECT = new MeterTask("c-1", "SIM000001", TaskKind.DISCONNECT, 0,
            Priority.HIGH, Instant.parse("2026-11-22T10:00:00Z"));
    private static final Instant ISSUED = Instant.parse("2026-11-22T09:00:00Z");

    private static KeyPair keys() throws NoSuchAlgorithmException {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    @Test
    void aSignedRequestDecodesAndVerifiesWithCentralsKey() throws Exception {
        KeyPair central = keys();
        byte[] payload = Payloads.encodeSignedTask(DISCONNECT, ISSUED, "n-1", new CommandSigner(central.getPrivate()));
        CommandRequest request = Payloads.decodeRequest(payload);
        assertEquals(DISCONNECT, request.task());
        assertEquals(ISSUED, request.issuedAt());
        assertEquals("n-1", request.nonce());
        assertTrue(request.isSigned());
        CommandVerifier verifier = CommandVerifier.ofBase64(CommandVerifier.toBase64(central.getPublic()));
        assertTrue(verifier.verify(request));
    }

    @Test
    void aSignatureOfAnotherKeyIsRefused() throws Exception {
        byte[] payload = Payloads.encodeSignedTask(DISCONNECT, ISSUED, "n-1", new CommandSigner(keys().getPrivate()));
        assertFalse(new CommandVerifier(keys().getPublic()).verify(Payloads.decodeRequest(payload)));
    }

    @Test
    void anAlteredFieldBreaksTheSignature() throws Exception {
        KeyPair central = keys();
        MeterTask reconnect = new MeterTask("c-1", "SIM000001", TaskKind.RECONNECT, 0, Priority.HIGH,
                DISCONNECT.expiresAt());
        byte[] payload = Payloads.encodeSignedTask(reconnect, ISSUED, "n-1", new CommandSigner(central.getPrivate()));
        byte[] other = Payloads.encodeSignedTask(DISCONNECT, ISSUED, "n-1", new CommandSigner(central.getPrivate()));
        // The kind byte differs; graft the reconnect's signature onto the disconnect's fields.
        byte[] forged = other.clone();
        System.arraycopy(payload, payload.length - 64, forged, forged.length - 64, 64);
        assertFalse(new CommandVerifier(central.getPublic()).verify(Payloads.decodeRequest(forged)));
        assertTrue(new CommandVerifier(central.getPublic()).verify(Payloads.decodeRequest(payload)));
    }

    @Test
    void anUnsignedRequestStillDecodesAndDoesNotVerify() throws Exception {
        CommandRequest request = Payloads.decodeRequest(Payloads.encodeTask(DISCONNECT));
        assertEquals(DISCONNECT, request.task());
        assertFalse(request.isSigned());
        assertFalse(new CommandVerifier(keys().getPublic()).verify(request));
    }

    @Test
    void aTruncatedSignatureIsMalformedAndNamesTheCorrelationId() throws Exception {
        byte[] payload = Payloads.encodeSignedTask(DISCONNECT, ISSUED, "n-1", new CommandSigner(keys().getPrivate()));
        byte[] truncated = java.util.Arrays.copyOf(payload, payload.length - 1);
        MalformedPayloadException e = assertThrows(MalformedPayloadException.class,
                () -> Payloads.decodeRequest(truncated));
        assertEquals("c-1", e.correlationId());
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void aBadPublicKeyIsExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandVerifier.ofBase64("not-base64!"));
        assertTrue(e.getMessage().contains("command public key"), e.getMessage());
    }
}

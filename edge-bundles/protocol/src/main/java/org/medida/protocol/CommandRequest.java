package org.medida.protocol;

import java.time.Instant;
import java.util.Objects;

import org.medida.edge.api.MeterTask;

/**
 * A command request as it arrived: the task and, for a signed request (X2), when central issued it, its nonce, the
 * bytes the signature covers and the signature. An unsigned request has a null {@code issuedAt}, an empty nonce and
 * no signature; whether the signature is central's is for {@link CommandVerifier} to say.
 */
public record CommandRequest(MeterTask task, Instant issuedAt, String nonce, byte[] signedBytes, byte[] signature) {

    public CommandRequest {
        Objects.requireNonNull(task, "task");
        nonce = nonce == null ? "" : nonce;
        signedBytes = signedBytes == null ? new byte[0] : signedBytes.clone();
        signature = signature == null ? new byte[0] : signature.clone();
    }

    static CommandRequest unsigned(MeterTask task) {
        return new CommandRequest(task, null, "", null, null);
    }

    public boolean isSigned() {
        return signature.length > 0;
    }

    @Override
    public byte[] signedBytes() {
        return signedBytes.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}

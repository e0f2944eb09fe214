package org.medida.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * A gateway's birth ({@code online}) or last will ({@code !online}), retained on {@link Topics#status}.
 * {@code session} grows with every connection of the gateway, across restarts; a status whose session is older than
 * one already seen is stale (a last will the broker delivered late) and is ignored.
 */
public record GatewayStatus(boolean online, long session, Instant at, String software) {

    public GatewayStatus {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(software, "software");
        if (session < 0) {
            throw new IllegalArgumentException("session is not negative: " + session);
        }
    }
}

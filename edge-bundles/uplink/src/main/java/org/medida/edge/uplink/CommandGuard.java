package org.medida.edge.uplink;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.medida.edge.api.TaskKind;
import org.medida.protocol.CommandRequest;
import org.medida.protocol.CommandVerifier;

/**
 * Decides whether a command request from the broker may run (X2). A supply-state command (disconnect, reconnect,
 * power limit) must carry central's signature: the MQTT session alone proves only that someone with broker
 * credentials published it. Every signed request must be fresh: issued within {@link #WINDOW} of the gateway's
 * clock and not expired; a supply-state command must also carry a correlation id and a nonce this gateway has not
 * accepted before (remembered across restarts). Reads may still come unsigned, as older centrals send them.
 */
final class CommandGuard {

    /** How far a request's issue time may be from the gateway's clock (clock skew plus broker delay). */
    static final Duration WINDOW = Duration.ofMinutes(10);
    static final String UNAUTHENTICATED = "unauthenticated command";
    static final String REPLAYED = "replayed command";

    private static final Set<TaskKind> SUPPLY_STATE = EnumSet.of(TaskKind.DISCONNECT, TaskKind.RECONNECT,
            TaskKind.SET_POWER_LIMIT, TaskKind.CLEAR_POWER_LIMIT);

    private final Optional<CommandVerifier> centralKey;
    private final ReplayMemory memory;

    CommandGuard(Optional<CommandVerifier> centralKey, ReplayMemory memory) {
        this.centralKey = centralKey;
        this.memory = memory;
    }

    static boolean isSupplyState(TaskKind kind) {
        return SUPPLY_STATE.contains(kind);
    }

    /** Why {@code request} must not run, or empty if it may. */
    Optional<String> refusal(CommandRequest request, Instant now) {
        if (!request.isSigned()) {
            return isSupplyState(request.task().kind()) ? Optional.of(UNAUTHENTICATED) : Optional.empty();
        }
        if (centralKey.isEmpty()) {
            // No key configured: nothing signed can be checked, so only what needs no signature runs.
            return isSupplyState(request.task().kind()) ? Optional.of(UNAUTHENTICATED) : Optional.empty();
        }
        if (!centralKey.get().verify(request)) {
            return Optional.of(UNAUTHENTICATED);
        }
        Instant issuedAt = request.issuedAt();
        Instant expiresAt = request.task().expiresAt();
        if (issuedAt.isBefore(now.minus(WINDOW)) || issuedAt.isAfter(now.plus(WINDOW)) || !expiresAt.isAfter(now)) {
            return Optional.of(REPLAYED);
        }
        if (!isSupplyState(request.task().kind())) {
            return Optional.empty(); // a replayed read changes nothing: no disk write on the read path
        }
        Instant until = expiresAt.isAfter(issuedAt.plus(WINDOW)) ? expiresAt : issuedAt.plus(WINDOW);
        if (!memory.remember(request.task().correlationId(), request.nonce(), until)) {
            return Optional.of(REPLAYED);
        }
        return Optional.empty();
    }
}

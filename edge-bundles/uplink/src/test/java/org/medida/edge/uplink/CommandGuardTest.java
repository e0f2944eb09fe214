package org.medida.edge.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.Priority;
import org.medida.edge.api.TaskKind;
import org.medida.protocol.CommandRequest;
import org.medida.protocol.CommandSigner;
import org.medida.protocol.CommandVerifier;
import org.medida.protocol.Payloads;

/** X2 at the gateway: what runs and what is refused, on real files for the replay memory. */
class CommandGuardTest {

    private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");

    @TempDir
    Path state;

    private KeyPair central;
    private CommandGuard guard;

    @BeforeEach
    void keys() throws Exception {
        central = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        guard = guard();
    }

    private CommandGuard guard() {
        return new CommandGuard(Optional.of(new CommandVerifier(central.getPublic())), new ReplayMemory(state, NOW));
    }

    private static MeterTask task(String id, TaskKind kind) {
        return new MeterTask(id, "SIM000001", kind, 0, Priority.HIGH, NOW.plus(Duration.ofMinutes(5)));
    }

    private static CommandRequest signed(MeterTask task, Instant issuedAt, String nonce, KeyPair keys)
            throws Exception {
        return Payloads.decodeRequest(Payloads.encodeSignedTask(task, issuedAt, nonce,
                new CommandSigner(keys.getPrivate())));
    }

    private Optional<String> refusal(CommandRequest request) {
        return guard.refusal(request, NOW);
    }

    @Test
    void aSignedDisconnectRunsOnceAndItsReplayIsRefusedEvenAfterARestart() throws Exception {
        CommandRequest disconnect = signed(task("c-1", TaskKind.DISCONNECT), NOW, "n-1", central);
        assertEquals(Optional.empty(), refusal(disconnect));
        assertEquals(Optional.of(CommandGuard.REPLAYED), refusal(disconnect));

        guard = guard(); // the gateway restarted: the memory comes back from the file
        assertEquals(Optional.of(CommandGuard.REPLAYED), refusal(disconnect));
    }

    @Test
    void aReusedNonceOrCorrelationIdIsAReplay() throws Exception {
        assertEquals(Optional.empty(), refusal(signed(task("c-1", TaskKind.DISCONNECT), NOW, "n-1", central)));
        assertEquals(Optional.of(CommandGuard.REPLAYED),
                refusal(signed(task("c-2", TaskKind.RECONNECT), NOW, "n-1", central)));
        assertEquals(Optional.of(CommandGuard.REPLAYED),
                refusal(signed(task("c-1", TaskKind.RECONNECT), NOW, "n-2", central)));
    }

    @Test
    void aRepeatedSignedReadRunsAgainWithoutADiskWrite() throws Exception {
        CommandRequest read = signed(task("r-1", TaskKind.READ_REGISTERS), NOW, "n-r", central);
        assertEquals(Optional.empty(), refusal(read));
        assertEquals(Optional.empty(), refusal(read));
        assertEquals(0, Files.size(state.resolve(ReplayMemory.FILE)));
    }

    @Test
    void aRequestIssuedOutsideTheWindowOrExpiredIsARefusedReplay() throws Exception {
        Instant old = NOW.minus(CommandGuard.WINDOW).minusSeconds(1);
        MeterTask longLived = new MeterTask("c-old", "SIM000001", TaskKind.DISCONNECT, 0, Priority.HIGH,
                NOW.plus(Duration.ofDays(1)));
        assertEquals(Optional.of(CommandGuard.REPLAYED), refusal(signed(longLived, old, "n-old", central)));
        assertEquals(Optional.of(CommandGuard.REPLAYED), refusal(signed(task("c-future", TaskKind.DISCONNECT),
                NOW.plus(CommandGuard.WINDOW).plusSeconds(1), "n-future", central)));
        MeterTask expired = new MeterTask("c-exp", "SIM000001", TaskKind.DISCONNECT, 0, Priority.HIGH, NOW);
        assertEquals(Optional.of(CommandGuard.REPLAYED), refusal(signed(expired, NOW, "n-exp", central)));
    }

    @Test
    void aForgedSignatureOrAnotherKeyIsUnauthenticated() throws Exception {
        KeyPair attacker = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertEquals(Optional.of(CommandGuard.UNAUTHENTICATED),
                refusal(signed(task("c-1", TaskKind.DISCONNECT), NOW, "n-1", attacker)));

        byte[] payload = Payloads.encodeSignedTask(task("c-2", TaskKind.SET_POWER_LIMIT), NOW, "n-2",
                new CommandSigner(central.getPrivate()));
        payload[payload.length - 1] ^= 1;
        assertEquals(Optional.of(CommandGuard.UNAUTHENTICATED), refusal(Payloads.decodeRequest(payload)));
    }

    @Test
    void anAlteredFieldIsUnauthenticated() throws Exception {
        byte[] payload = Payloads.encodeSignedTask(task("c-1", TaskKind.RECONNECT), NOW, "n-1",
                new CommandSigner(central.getPrivate()));
        // The kind byte follows the correlation id and serial: turn the reconnect into a disconnect.
        int kindAt = 3 + 1 + "c-1".length() + 1 + "SIM000001".length();
        assertEquals(6, payload[kindAt]);
        payload[kindAt] = 5;
        CommandRequest altered = Payloads.decodeRequest(payload);
        assertEquals(TaskKind.DISCONNECT, altered.task().kind());
        assertEquals(Optional.of(CommandGuard.UNAUTHENTICATED), refusal(altered));
    }

    @Test
    void unsignedSupplyCommandsAreRefusedAndUnsignedReadsStillRun() throws Exception {
        for (TaskKind kind : new TaskKind[] {TaskKind.DISCONNECT, TaskKind.RECONNECT, TaskKind.SET_POWER_LIMIT,
                TaskKind.CLEAR_POWER_LIMIT}) {
            assertEquals(Optional.of(CommandGuard.UNAUTHENTICATED),
                    refusal(Payloads.decodeRequest(Payloads.encodeTask(task("u-" + kind, kind)))), kind.name());
        }
        assertEquals(Optional.empty(),
                refusal(Payloads.decodeRequest(Payloads.encodeTask(task("u-read", TaskKind.READ_REGISTERS)))));
    }

    @Test
    void withoutCentralsKeySupplyCommandsAreRefused() throws Exception {
        guard = new CommandGuard(Optional.empty(), new ReplayMemory(state, NOW));
        assertEquals(Optional.of(CommandGuard.UNAUTHENTICATED),
                refusal(signed(task("c-1", TaskKind.DISCONNECT), NOW, "n-1", central)));
        assertEquals(Optional.empty(), refusal(signed(task("c-2", TaskKind.READ_REGISTERS), NOW, "n-2", central)));
    }

    @Test
    void theMemoryForgetsWhatTheWindowRefusesAnywayAndSurvivesATornLine() throws Exception {
        assertEquals(Optional.empty(), refusal(signed(task("c-1", TaskKind.DISCONNECT), NOW, "n-1", central)));
        Files.writeString(state.resolve(ReplayMemory.FILE), "12345\ttorn", java.nio.file.StandardOpenOption.APPEND);
        ReplayMemory later = new ReplayMemory(state, NOW.plus(Duration.ofHours(1)));
        assertTrue(later.remember("c-1", "n-1", NOW.plus(Duration.ofHours(2))), "forgotten after its time");
        assertEquals(1, Files.readAllLines(state.resolve(ReplayMemory.FILE)).size());
    }
}

package org.medida.simulator.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The few APDU fields the simulator reads itself, from bytes as clients send them. */
class ApdusTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void counterOfGloAndDedRequests() {
        assertEquals(OptionalLong.of(0x01020304L), Apdus.invocationCounter(HEX.parseHex("c81e3001020304aabbcc")));
        assertEquals(OptionalLong.of(0xFFFFFFFEL), Apdus.invocationCounter(HEX.parseHex("d00730fffffffe00")));
        assertEquals(OptionalLong.of(7), Apdus.invocationCounter(HEX.parseHex("cb8200083000000007")), "long length form");
    }

    @Test
    void counterOfGeneralGloCiphering() {
        // tag, system title (8), length, security control, counter
        assertEquals(OptionalLong.of(0x2A), Apdus.invocationCounter(HEX.parseHex("db084d4443000000000110300000002a")));
    }

    @Test
    void counterOfAnAarqCarryingAGloInitiateRequest() {
        byte[] aarq = HEX.parseHex("6036a109060760857405080103a60a04084d44430000000001"
                + "8a0207808b0760857405080205ac0a80083132333435363738be0a04082106300000006400");
        assertEquals(OptionalLong.of(0x64), Apdus.invocationCounter(aarq));
        assertEquals(OptionalInt.of(5), Apdus.mechanism(aarq));
    }

    @Test
    void plainApdusHaveNoCounter() {
        assertFalse(Apdus.invocationCounter(HEX.parseHex("c001c100030100010800ff0200")).isPresent());
        assertFalse(Apdus.invocationCounter(HEX.parseHex("601da109060760857405080101be10040e01000000065f1f040000fe1dffff"))
                .isPresent());
        assertFalse(Apdus.invocationCounter(new byte[0]).isPresent());
        assertFalse(Apdus.invocationCounter(HEX.parseHex("c8")).isPresent(), "truncated");
    }

    @Test
    void llsIsRecognisedAndMappedForTheManagementClient() {
        byte[] lls = HEX.parseHex("6024a109060760857405080101" + "8a0207808b0760857405080201ac0a80083132333435363738");
        assertEquals(OptionalInt.of(1), Apdus.mechanism(lls));
        assertEquals(ClientIdentity.MANAGEMENT_CLIENT_LLS, ClientIdentity.of(1, lls));
        assertEquals(16, ClientIdentity.of(16, lls));
        assertTrue(ClientIdentity.known(ClientIdentity.MANAGEMENT_CLIENT_LLS));
    }

    @Test
    void guardAcceptsOnlyIncreasingCountersPerClient() {
        InvocationCounterGuard guard = new InvocationCounterGuard();
        assertTrue(guard.isFresh(1, 5));
        guard.accept(1, 5);
        assertFalse(guard.isFresh(1, 5));
        assertFalse(guard.isFresh(1, 4));
        assertTrue(guard.isFresh(2, 1), "counters are per client SAP");
        assertTrue(guard.isFresh(1, 6));
        assertArrayEquals(HEX.parseHex("d8010600000006"), Apdus.invocationCounterError(guard.lastAccepted(1) + 1));
    }

    @Test
    void onlyCipheredAnswersProveTheRequestWasDeciphered() {
        assertTrue(Apdus.isCipheredResponse(HEX.parseHex("cc1e300000000a")));
        assertTrue(Apdus.isCipheredResponse(HEX.parseHex("6129a109060760857405080103a203020100be10040e28" + "0c300000000100")));
        assertFalse(Apdus.isCipheredResponse(HEX.parseHex("612da109060760857405080101a203020100be10040e0800065f1f0400001e1dffff0007")));
        assertFalse(Apdus.isCipheredResponse(HEX.parseHex("c401410006000000")));
        assertFalse(Apdus.isCipheredResponse(new byte[0]));
    }
}

package org.medida.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medida.simulator.model.EventCodes;
import org.medida.simulator.model.EventLog;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.ObisCode;

class SecurityTest {

    private static final AttributeAddress A_PLUS = new AttributeAddress(3, new ObisCode("1.0.1.8.0.255"), 2);

    private static MeterFleet fleet;

    @BeforeAll
    static void start() throws Exception {
        fleet = MeterFleet.start(FleetConfig.builder().meters(3).basePort(0).keySeed("test-seed").build());
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void keysAreDerivedFromSeedAndSerialAndNeverPrinted() {
        SimulatedMeter meter = fleet.meters().get(0);
        assertEquals(MeterKeys.derive("test-seed", meter.serial()), meter.keys());
        assertTrue(!MeterKeys.derive("test-seed", "SIM000001").equals(MeterKeys.derive("test-seed", "SIM000002")));
        assertEquals(8, meter.keys().password().length);
        assertEquals(16, meter.keys().encryptionKey().length);
        assertArrayEquals("MDA".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOf(meter.keys().systemTitle(), 3));
        String printed = meter.keys().toString();
        assertTrue(!printed.contains(new String(meter.keys().password(), StandardCharsets.US_ASCII)), printed);
    }

    @Test
    void llsWithTheRightPasswordReads() throws Exception {
        SimulatedMeter meter = fleet.meters().get(0);
        try (DlmsConnection c = Clients.lls(meter, meter.keys().password())) {
            assertEquals(AccessResultCode.SUCCESS, c.get(A_PLUS).getResultCode());
        }
    }

    @Test
    void llsWithAWrongPasswordIsRefused() {
        SimulatedMeter meter = fleet.meters().get(0);
        assertThrows(IOException.class, () -> Clients.lls(meter, "wrong-pw".getBytes(StandardCharsets.US_ASCII)).close());
    }

    @Test
    void hls5WithTheRightKeysReadsAndActs() throws Exception {
        SimulatedMeter meter = fleet.meters().get(1);
        try (DlmsConnection c = Clients.hls5(meter, 1_000)) {
            List<GetResult> r = c.get(List.of(A_PLUS, new AttributeAddress(8, new ObisCode("0.0.1.0.0.255"), 2)));
            assertEquals(AccessResultCode.SUCCESS, r.get(0).getResultCode());
            assertEquals(AccessResultCode.SUCCESS, r.get(1).getResultCode());
        }
    }

    @Test
    void hls5WithAWrongKeyIsRefused() {
        SimulatedMeter meter = fleet.meters().get(1);
        byte[] wrong = fleet.meters().get(0).keys().encryptionKey();
        assertThrows(IOException.class,
                () -> Clients.hls5(meter, wrong, meter.keys().authenticationKey(), 5_000_000).build().close());
        assertThrows(IOException.class,
                () -> Clients.hls5(meter, meter.keys().encryptionKey(), wrong, 5_000_001).build().close());
    }

    @Test
    void aForgedAarqWithAHugeCounterDoesNotLockOutTheRealClient() throws Exception {
        SimulatedMeter meter = fleet.meters().get(2);
        byte[] wrong = fleet.meters().get(0).keys().authenticationKey();
        assertThrows(IOException.class,
                () -> Clients.hls5(meter, wrong, wrong, 4_000_000_000L).build().close());
        try (DlmsConnection c = Clients.hls5(meter, 10)) {
            assertEquals(AccessResultCode.SUCCESS, c.get(A_PLUS).getResultCode());
        }
    }

    @Test
    void replayedInvocationCounterIsRefusedAndLoggedAsFraud() throws Exception {
        SimulatedMeter meter = fleet.meters().get(0);
        try (DlmsConnection c = Clients.hls5(meter, 10_000)) {
            assertEquals(AccessResultCode.SUCCESS, c.get(A_PLUS).getResultCode());
        }
        // a second association starting again from the same counter replays the first one's AARQ counter
        assertThrows(IOException.class, () -> Clients.hls5(meter, 10_000).close());
        assertTrue(meter.model().events(EventLog.FRAUD).stream().anyMatch(e -> e.code() == EventCodes.REPLAY_ATTACK));
        try (DlmsConnection c = Clients.hls5(meter, 20_000)) {
            assertEquals(AccessResultCode.SUCCESS, c.get(A_PLUS).getResultCode());
        }
    }
}

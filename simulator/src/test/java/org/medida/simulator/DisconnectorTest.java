package org.medida.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medida.simulator.cosem.CosemValues;
import org.medida.simulator.model.EventCodes;
import org.medida.simulator.model.EventLog;
import org.medida.simulator.model.SupplyState;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.MethodParameter;
import org.openmuc.jdlms.MethodResultCode;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.SetParameter;
import org.openmuc.jdlms.datatypes.DataObject;

/** Commands change what the meter measures; time runs 600x so that a second is ten meter minutes. */
class DisconnectorTest {

    private static final ObisCode DISCONNECTOR = new ObisCode("0.0.96.3.10.255");
    private static final ObisCode LIMITER = new ObisCode("0.0.17.0.0.255");
    private static final ObisCode CLOCK = new ObisCode("0.0.1.0.0.255");
    private static final AttributeAddress A_PLUS = new AttributeAddress(3, new ObisCode("1.0.1.8.0.255"), 2);
    private static final AttributeAddress POWER = new AttributeAddress(3, new ObisCode("1.0.1.7.0.255"), 2);

    private static MeterFleet fleet;
    private static long counter = 1;

    @BeforeAll
    static void start() throws Exception {
        fleet = MeterFleet.start(FleetConfig.builder().meters(4).basePort(0).timeAcceleration(600)
                .epoch(Instant.parse("2026-06-01T18:00:00Z")).build());
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void disconnectStopsEnergyAndReconnectResumesIt() throws Exception {
        SimulatedMeter meter = fleet.meters().get(0);
        try (DlmsConnection c = Clients.hls5(meter, counter += 100)) {
            assertEquals(MethodResultCode.SUCCESS, c.action(method(DISCONNECTOR, 1)).getResultCode());
            assertFalse(meter.relayClosed());
            assertEquals(false, c.get(new AttributeAddress(70, DISCONNECTOR, 2)).getResultData().getValue());
            assertEquals(SupplyState.DISCONNECTED.ordinal(),
                    CosemValues.longOf(c.get(new AttributeAddress(70, DISCONNECTOR, 3)).getResultData()));
            assertEquals(0, CosemValues.longOf(c.get(POWER).getResultData()));
            long frozen = CosemValues.longOf(c.get(A_PLUS).getResultData());
            Thread.sleep(700);
            assertEquals(frozen, CosemValues.longOf(c.get(A_PLUS).getResultData()), "no energy with the relay open");

            assertEquals(MethodResultCode.SUCCESS, c.action(method(DISCONNECTOR, 2)).getResultCode());
            assertTrue(meter.relayClosed());
            assertTrue(CosemValues.longOf(c.get(POWER).getResultData()) > 0);
            Thread.sleep(700);
            assertTrue(CosemValues.longOf(c.get(A_PLUS).getResultData()) > frozen, "energy flows again");
        }
        assertTrue(meter.model().events(EventLog.DISCONNECTOR).stream().map(e -> e.code()).toList()
                .containsAll(java.util.List.of(EventCodes.REMOTE_DISCONNECT, EventCodes.REMOTE_RECONNECT)));
    }

    @Test
    void limiterBelowDemandOpensTheRelay() throws Exception {
        SimulatedMeter meter = fleet.meters().get(1);
        try (DlmsConnection c = Clients.hls5(meter, counter += 100)) {
            assertEquals(AccessResultCode.SUCCESS,
                    c.set(new SetParameter(new AttributeAddress(71, LIMITER, 4), CosemValues.u32(50))));
            long deadline = System.currentTimeMillis() + 5_000;
            while (meter.relayClosed() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(meter.relayClosed(), "the next interval is above 50 W");
            assertEquals(SupplyState.READY_FOR_RECONNECTION, meter.model().supplyState());
            assertTrue(meter.model().events(EventLog.DISCONNECTOR).stream()
                    .anyMatch(e -> e.code() == EventCodes.LIMITER_THRESHOLD_EXCEEDED));
            assertEquals(AccessResultCode.SUCCESS,
                    c.set(new SetParameter(new AttributeAddress(71, LIMITER, 4), CosemValues.u32(0))));
            assertEquals(MethodResultCode.SUCCESS, c.action(method(DISCONNECTOR, 2)).getResultCode());
            assertTrue(meter.relayClosed());
        }
    }

    @Test
    void publicClientMayReadButNotCommand() throws Exception {
        SimulatedMeter meter = fleet.meters().get(2);
        try (DlmsConnection c = Clients.publicClient(meter)) {
            assertEquals(AccessResultCode.SUCCESS, c.get(new AttributeAddress(70, DISCONNECTOR, 2)).getResultCode());
            assertFalse(MethodResultCode.SUCCESS == c.action(method(DISCONNECTOR, 1)).getResultCode());
            assertTrue(meter.relayClosed());
        }
    }

    @Test
    void clockCanBeSetAndShiftedWithEvents() throws Exception {
        SimulatedMeter meter = fleet.meters().get(3);
        try (DlmsConnection c = Clients.lls(meter, meter.keys().password())) {
            Instant target = meter.clock().plus(Duration.ofHours(2));
            assertEquals(AccessResultCode.SUCCESS,
                    c.set(new SetParameter(new AttributeAddress(8, CLOCK, 2), CosemValues.dateTime(target))));
            Instant read = CosemValues.instantOf(c.get(new AttributeAddress(8, CLOCK, 2)).getResultData());
            assertTrue(Duration.between(target, read).abs().toSeconds() < 60, "clock now " + read);

            Instant beforeShift = meter.clock();
            assertEquals(MethodResultCode.SUCCESS, c.action(new MethodParameter(8, CLOCK, 6,
                    DataObject.newInteger16Data((short) -300))).getResultCode());
            long drift = Duration.between(beforeShift.minusSeconds(300), meter.clock()).toSeconds();
            assertTrue(drift >= 0 && drift < 60, "shifted by -300 s, then ran " + drift + " s");
            assertEquals(MethodResultCode.OTHER_REASON, c.action(new MethodParameter(8, CLOCK, 6,
                    DataObject.newInteger16Data((short) 3600))).getResultCode(), "shift_time is for small corrections");
        }
        assertEquals(4, meter.model().events(EventLog.STANDARD).stream()
                .filter(e -> e.code() == EventCodes.CLOCK_ADJUSTED_OLD_TIME || e.code() == EventCodes.CLOCK_ADJUSTED_NEW_TIME)
                .count());
        assertEquals(0x20, meter.model().amrStatus() & 0x20);
    }

    private static MethodParameter method(ObisCode obis, int id) {
        return new MethodParameter(70, obis, id, DataObject.newInteger8Data((byte) 0));
    }
}

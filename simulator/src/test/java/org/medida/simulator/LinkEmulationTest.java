package org.medida.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.ObisCode;

/** The link between client and meter, emulated per meter and changeable at run time. */
class LinkEmulationTest {

    private static final AttributeAddress A_PLUS = new AttributeAddress(3, new ObisCode("1.0.1.8.0.255"), 2);

    private static MeterFleet fleet;

    @BeforeAll
    static void start() throws Exception {
        fleet = MeterFleet.start(FleetConfig.builder().meters(4).basePort(0).transport(Transport.HDLC).build());
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void latencyDelaysEveryResponse() throws Exception {
        SimulatedMeter meter = fleet.meters().get(0);
        meter.setLink(LinkEmulation.NONE.withLatency(Duration.ofMillis(150), Duration.ofMillis(50)));
        try (DlmsConnection c = Clients.publicClient(meter)) {
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertEquals(AccessResultCode.SUCCESS, c.get(A_PLUS).getResultCode());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 450 && millis < 1_500, "three requests took " + millis + " ms");
        } finally {
            meter.setLink(LinkEmulation.NONE);
        }
    }

    @Test
    void lostResponsesMakeTheClientTimeOut() throws Exception {
        SimulatedMeter meter = fleet.meters().get(1);
        try (DlmsConnection c = Clients.tcp(meter).setClientId(16).setResponseTimeout(800).build()) {
            meter.setLink(LinkEmulation.NONE.withLoss(0.999));
            assertThrows(IOException.class, () -> c.get(A_PLUS));
        } finally {
            meter.setLink(LinkEmulation.NONE);
        }
        try (DlmsConnection c = Clients.publicClient(meter)) {
            assertEquals(AccessResultCode.SUCCESS, c.get(A_PLUS).getResultCode(), "a new association works again");
        }
    }

    @Test
    void unreachableMeterAcceptsButNeverAnswersUntilTheWindowEnds() throws Exception {
        SimulatedMeter meter = fleet.meters().get(2);
        Instant now = meter.clock();
        meter.setLink(LinkEmulation.NONE.withUnreachable(List.of(TimeWindow.of(now, Duration.ofMillis(2500)))));
        long start = System.nanoTime();
        assertThrows(IOException.class, () -> Clients.tcp(meter).setClientId(16).setResponseTimeout(1_000).build());
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 900, "the client had to wait for its timeout");
        Thread.sleep(Duration.between(meter.clock(), now.plusMillis(2500)).toMillis() + 100);
        try (DlmsConnection c = Clients.publicClient(meter)) {
            assertEquals(AccessResultCode.SUCCESS, c.get(A_PLUS).getResultCode());
        }
    }

    @Test
    void poweredOffMeterIsSilentAndRecordsTheOutage() throws Exception {
        SimulatedMeter meter = fleet.meters().get(3);
        Instant now = meter.clock();
        TimeWindow outage = TimeWindow.of(now.minusSeconds(1), Duration.ofSeconds(3));
        meter.setLink(LinkEmulation.NONE.withPoweredOff(List.of(outage)));
        assertThrows(IOException.class, () -> Clients.tcp(meter).setClientId(16).setResponseTimeout(800).build());
        Thread.sleep(Duration.between(meter.clock(), outage.to()).toMillis() + 100);
        try (DlmsConnection c = Clients.publicClient(meter)) {
            assertEquals(AccessResultCode.SUCCESS, c.get(A_PLUS).getResultCode());
        }
        assertEquals(outage.from(), meter.model().powerFailures().get(0).start());
    }
}

package org.medida.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medida.simulator.model.ProfileEntry;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.MethodParameter;
import org.openmuc.jdlms.MethodResultCode;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.datatypes.DataObject;

/** jDLMS's client over HDLC/TCP: segmented answers, ciphered associations, several meters behind one port. */
class HdlcTransportTest {

    private static final ObisCode LOAD_PROFILE = new ObisCode("1.0.99.1.0.255");

    private static MeterFleet fleet;

    @BeforeAll
    static void start() throws Exception {
        fleet = MeterFleet.start(FleetConfig.builder().meters(3).metersPerPort(3).basePort(0)
                .transport(Transport.HDLC).build());
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void hls5ReadsTheWholeProfileInSegmentsAndByRange() throws Exception {
        SimulatedMeter meter = fleet.meters().get(2);
        List<ProfileEntry> expected = meter.model().loadProfile();
        try (DlmsConnection c = Clients.hls5(meter, 1)) {
            assertEquals(expected.size(), ProfileTest.rowsOf(c.get(new AttributeAddress(7, LOAD_PROFILE, 2))).size());
            ProfileEntry from = expected.get(10);
            ProfileEntry to = expected.get(109);
            assertEquals(100, ProfileTest.rowsOf(c.get(ProfileTest.byRange(LOAD_PROFILE, from.time(), to.time(),
                    List.of()))).size());
        }
    }

    @Test
    void metersBehindOnePortAreAddressedByLogicalDevice() throws Exception {
        assertEquals(fleet.meters().get(0).port(), fleet.meters().get(1).port());
        for (SimulatedMeter meter : fleet.meters()) {
            try (DlmsConnection c = Clients.publicClient(meter)) {
                long value = ((Number) c.get(new AttributeAddress(3, new ObisCode("1.0.1.8.0.255"), 2))
                        .getResultData().getValue()).longValue();
                long now = meter.model().totals().importWh();
                assertEquals(true, Math.abs(now - value) < 50, meter.serial() + " read " + value + ", model " + now);
            }
        }
    }

    @Test
    void llsManagementClientDisconnectsAndReconnects() throws Exception {
        SimulatedMeter meter = fleet.meters().get(1);
        try (DlmsConnection c = Clients.lls(meter, meter.keys().password())) {
            ObisCode disconnector = new ObisCode("0.0.96.3.10.255");
            assertEquals(MethodResultCode.SUCCESS,
                    c.action(new MethodParameter(70, disconnector, 1, DataObject.newInteger8Data((byte) 0))).getResultCode());
            assertEquals(false, meter.relayClosed());
            assertEquals(MethodResultCode.SUCCESS,
                    c.action(new MethodParameter(70, disconnector, 2, DataObject.newInteger8Data((byte) 0))).getResultCode());
            assertEquals(true, meter.relayClosed());
            assertEquals(AccessResultCode.SUCCESS, c.get(new AttributeAddress(15, new ObisCode("0.0.40.0.0.255"), 2)).getResultCode(),
                    "the association's object list");
        }
    }
}

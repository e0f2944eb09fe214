package org.medida.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.datatypes.DataObject;

class RegisterReadTest {

    private static MeterFleet fleet;
    private static SimulatedMeter meter;

    @BeforeAll
    static void start() throws Exception {
        fleet = MeterFleet.start(FleetConfig.builder().meters(1).basePort(0).epoch(Instant.parse("2026-03-02T10:00:00Z"))
                .build());
        meter = fleet.meters().get(0);
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void publicClientReadsEnergyRegisterWithScalerUnit() throws Exception {
        try (DlmsConnection c = Clients.publicClient(meter)) {
            long before = meter.model().totals().importWh();
            List<GetResult> r = c.get(List.of(new AttributeAddress(3, new ObisCode("1.0.1.8.0.255"), 2),
                    new AttributeAddress(3, new ObisCode("1.0.1.8.0.255"), 3)));
            long after = meter.model().totals().importWh();
            assertEquals(AccessResultCode.SUCCESS, r.get(0).getResultCode());
            long value = ((Number) r.get(0).getResultData().getValue()).longValue();
            assertTrue(value >= before && value <= after, value + " not in [" + before + ", " + after + "]");
            List<DataObject> scalerUnit = r.get(1).getResultData().getValue();
            assertEquals(0, ((Number) scalerUnit.get(0).getValue()).intValue());
            assertEquals(30, ((Number) scalerUnit.get(1).getValue()).intValue());
        }
    }

    @Test
    void everyObjectOfTheModelAnswers() throws Exception {
        List<AttributeAddress> all = List.of(
                new AttributeAddress(3, new ObisCode("1.0.1.8.1.255"), 2),
                new AttributeAddress(3, new ObisCode("1.0.1.8.6.255"), 2),
                new AttributeAddress(3, new ObisCode("1.0.2.8.0.255"), 2),
                new AttributeAddress(3, new ObisCode("1.0.3.8.0.255"), 2),
                new AttributeAddress(3, new ObisCode("1.0.4.8.0.255"), 3),
                new AttributeAddress(4, new ObisCode("1.0.1.6.0.255"), 2),
                new AttributeAddress(4, new ObisCode("1.0.1.6.0.255"), 5),
                new AttributeAddress(3, new ObisCode("1.0.1.7.0.255"), 2),
                new AttributeAddress(3, new ObisCode("1.0.32.7.0.255"), 2),
                new AttributeAddress(3, new ObisCode("1.0.31.7.0.255"), 2),
                new AttributeAddress(1, new ObisCode("0.0.96.10.1.255"), 2),
                new AttributeAddress(1, new ObisCode("0.0.96.11.4.255"), 2),
                new AttributeAddress(8, new ObisCode("0.0.1.0.0.255"), 2),
                new AttributeAddress(70, new ObisCode("0.0.96.3.10.255"), 4),
                new AttributeAddress(71, new ObisCode("0.0.17.0.0.255"), 3),
                new AttributeAddress(7, new ObisCode("0.0.98.2.0.255"), 3),
                new AttributeAddress(15, new ObisCode("0.0.40.0.0.255"), 2));
        try (DlmsConnection c = Clients.publicClient(meter)) {
            List<GetResult> results = c.get(all);
            for (int i = 0; i < all.size(); i++) {
                assertEquals(AccessResultCode.SUCCESS, results.get(i).getResultCode(), all.get(i).toString());
            }
            long voltage = ((Number) results.get(8).getResultData().getValue()).longValue();
            assertTrue(voltage > 2200 && voltage < 2400, "230 V in 0.1 V: " + voltage);
            assertEquals(meter.model().maxDemand().demandW(), ((Number) results.get(5).getResultData().getValue()).longValue());
            assertEquals(0L, ((Number) results.get(1).getResultData().getValue()).longValue(), "tariff 6 stays at zero");
        }
    }

    @Test
    void unknownObjectsAreRefusedWithADlmsError() throws Exception {
        try (DlmsConnection c = Clients.publicClient(meter)) {
            AccessResultCode code = c.get(new AttributeAddress(3, new ObisCode("1.0.99.8.0.255"), 2)).getResultCode();
            assertTrue(code != AccessResultCode.SUCCESS, code.toString());
        }
    }
}

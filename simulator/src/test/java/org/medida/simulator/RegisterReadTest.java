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
}

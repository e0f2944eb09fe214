package org.medida.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.datatypes.DataObject;

/** A thousand meters in one JVM; the simulator's tests run with -Xmx256m (see the pom). */
class FleetScaleTest {

    @Test
    void thousandMetersStartAnswerAndFitInTheHeap() throws Exception {
        try (MeterFleet fleet = MeterFleet.start(FleetConfig.builder().meters(1000).metersPerPort(10).basePort(0)
                .serialPrefix("BIG").build())) {
            List<SimulatedMeter> meters = fleet.meters();
            assertEquals(1000, meters.size());
            assertEquals(100, meters.stream().map(SimulatedMeter::port).collect(Collectors.toSet()).size());
            for (SimulatedMeter meter : List.of(meters.get(0), meters.get(509), meters.get(999))) {
                try (DlmsConnection c = Clients.publicClient(meter)) {
                    List<DataObject> rows = c.get(new AttributeAddress(7, new ObisCode("1.0.99.1.0.255"), 2))
                            .getResultData().getValue();
                    assertEquals(meter.model().loadProfile().size(), rows.size(), meter.serial());
                }
            }
            assertEquals(10, meters.get(999).logicalDevice());
            System.gc();
            long usedMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
            long maxMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
            System.out.println("1000 meters: " + usedMb + " MB heap used of " + maxMb + " MB");
            assertTrue(maxMb <= 256, "tests run with -Xmx256m, not " + maxMb + " MB");
            assertTrue(usedMb < 160, usedMb + " MB used");
        }
    }
}

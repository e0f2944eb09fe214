package org.medida.edge.dlms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.edge.dlms.TestMeters.read;
import static org.medida.edge.dlms.TestMeters.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.ClockReading;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.RegisterReading;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.Transport;

/**
 * The same conversations over HDLC on TCP and over serial mode E: a socat pseudo-terminal opened by jDLMS through the
 * jrxtx API on jSerialComm.
 */
class TransportsTest {

    @TempDir
    Path state;

    @Test
    void hdlcOverTcp() throws Exception {
        converseOver(Transport.HDLC);
    }

    @Test
    void serialModeEThroughAPseudoTerminal() throws Exception {
        converseOver(Transport.SERIAL);
    }

    /** Every security level, the clock and a profile. */
    private void converseOver(Transport transport) throws Exception {
        try (MeterFleet fleet = MeterFleet.start(FleetConfig.builder().meters(1).basePort(0)
                .transport(transport).keySeed("transport-test").ptyDir(state.resolve("pty")).build());
                DlmsMeterDriver driver = new DlmsMeterDriver(settings(state))) {
            SimulatedMeter meter = fleet.meters().get(0);
            for (MeterRef ref : List.of(TestMeters.publicClient(meter), TestMeters.lls(meter),
                    TestMeters.hls5(meter))) {
                List<DriverResult<RegisterReading>> readings = read(driver, ref,
                        s -> s.readRegisters(List.of("1.0.1.8.0.255")));
                assertTrue(readings.get(0).isSuccess(), ref.security() + ": " + readings.get(0));
            }
            ClockReading clock = read(driver, TestMeters.hls5(meter), s -> s.readClock());
            assertTrue(clock.deviation().abs().compareTo(Duration.ofSeconds(3)) < 0, "deviation " + clock.deviation());

            Instant to = meter.clock();
            Instant from = to.minus(Duration.ofHours(3));
            IntervalBlock block = read(driver, TestMeters.hls5(meter),
                    s -> s.readProfile("1.0.99.1.0.255", from, to));
            WrapperMeterTest.assertProfileMatchesModel(meter, block, from, to);
            assertEquals(meter.serial(), block.serial());
        }
    }
}

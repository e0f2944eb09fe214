package org.medida.edge.dlms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medida.edge.dlms.TestMeters.read;
import static org.medida.edge.dlms.TestMeters.settings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.ClockReading;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterLink;
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
        try (MeterFleet fleet = hdlcMeter()) {
            converseWith(fleet.meters().get(0), ref -> ref);
        }
    }

    @Test
    void serialModeEThroughAPseudoTerminal() throws Exception {
        try (MeterFleet fleet = hdlcMeter();
                ModeELine line = new ModeELine(state.resolve("pty"), fleet.meters().get(0).port(),
                        fleet.meters().get(0).serial())) {
            SimulatedMeter meter = fleet.meters().get(0);
            converseWith(meter, ref -> new MeterRef(ref.serial(), new MeterLink.SerialModeE(
                    line.clientDevice.toString(), "", meter.physicalAddress(), meter.logicalDevice()), ref.security()));
        }
    }

    private static MeterFleet hdlcMeter() throws IOException {
        return MeterFleet.start(FleetConfig.builder().meters(1).basePort(TestMeters.freePort())
                .transport(Transport.HDLC).keySeed("transport-test").build());
    }

    /** Every security level, the clock and a profile, with the meter reached as {@code route} says. */
    private void converseWith(SimulatedMeter meter, UnaryOperator<MeterRef> route) throws Exception {
        try (DlmsMeterDriver driver = new DlmsMeterDriver(settings(state))) {
            for (MeterRef direct : List.of(TestMeters.publicClient(meter), TestMeters.lls(meter),
                    TestMeters.hls5(meter))) {
                MeterRef ref = route.apply(direct);
                List<DriverResult<RegisterReading>> readings = read(driver, ref,
                        s -> s.readRegisters(List.of("1.0.1.8.0.255")));
                assertTrue(readings.get(0).isSuccess(), ref.security() + ": " + readings.get(0));
            }
            ClockReading clock = read(driver, route.apply(TestMeters.hls5(meter)), s -> s.readClock());
            assertTrue(clock.deviation().abs().compareTo(Duration.ofSeconds(3)) < 0, "deviation " + clock.deviation());

            Instant to = meter.clock();
            Instant from = to.minus(Duration.ofHours(3));
            IntervalBlock block = read(driver, route.apply(TestMeters.hls5(meter)),
                    s -> s.readProfile("1.0.99.1.0.255", from, to));
            WrapperMeterTest.assertProfileMatchesModel(meter, block, from, to);
            assertEquals(meter.serial(), block.serial());
        }
    }
}

package org.medida.edge.dlms;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.LinkEmulation;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.TimeWindow;
import org.medida.simulator.Transport;

/**
 * One simulated wrapper meter whose history holds a power outage (a profile gap and power-failure events), and a
 * driver to read it. Closing stops both.
 */
record MeterWithOutage(MeterFleet fleet, SimulatedMeter meter, DlmsMeterDriver driver) implements AutoCloseable {

    /** The outage began {@code ago} before now and lasted {@code length}. */
    static MeterWithOutage start(FleetConfig.Builder config, Duration ago, Duration length, Path driverState)
            throws IOException {
        MeterFleet fleet = MeterFleet.start(config.meters(1).basePort(0).transport(Transport.WRAPPER).build());
        SimulatedMeter meter = fleet.meters().get(0);
        meter.setLink(LinkEmulation.NONE.withPoweredOff(List.of(TimeWindow.of(meter.clock().minus(ago), length))));
        return new MeterWithOutage(fleet, meter, new DlmsMeterDriver(TestMeters.settings(driverState)));
    }

    @Override
    public void close() {
        driver.close();
        fleet.close();
    }
}

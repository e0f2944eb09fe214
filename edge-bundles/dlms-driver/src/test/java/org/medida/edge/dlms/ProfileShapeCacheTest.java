package org.medida.edge.dlms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.medida.edge.dlms.TestMeters.read;
import static org.medida.edge.dlms.TestMeters.talk;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.SimulatedMeter;

/** A profile's capture objects and period are read once per meter, and again after a read of it failed. */
class ProfileShapeCacheTest {

    private static final String PROFILE = "1.0.99.1.0.255";

    @TempDir
    Path state;

    @Test
    void theSecondReadSavesTwoRequestsAndAFailedReadForgetsTheShape() throws Exception {
        try (MeterFleet fleet = MeterFleet.start(FleetConfig.builder().meters(1).basePort(0).build());
                DlmsMeterDriver driver = new DlmsMeterDriver(TestMeters.settings(state)
                        .withRequestTimeout(Duration.ofSeconds(1)).withRetries(0, Duration.ZERO));
                WrapperProxy proxy = WrapperProxy.to(fleet.meters().get(0).port())) {
            SimulatedMeter meter = fleet.meters().get(0);
            MeterRef ref = new MeterRef(meter.serial(), new MeterLink.TcpWrapper("127.0.0.1", proxy.port()),
                    MeterSecurity.publicClient());
            Instant to = meter.clock();
            Instant from = to.minus(Duration.ofHours(2));

            int first = requestsFor(proxy, () -> read(driver, ref, s -> s.readProfile(PROFILE, from, to)));
            IntervalBlock cached = read(driver, ref, s -> s.readProfile(PROFILE, from, to));
            int second = requestsFor(proxy, () -> read(driver, ref, s -> s.readProfile(PROFILE, from, to)));
            assertEquals(first - 2, second, "capture objects and capture period come from the cache");
            WrapperMeterTest.assertProfileMatchesModel(meter, cached, from, to);

            assertFalse(talk(driver, ref, s -> {
                proxy.silence(true);
                return s.readProfile(PROFILE, from, to);
            }).isSuccess());
            proxy.silence(false);
            int afterFailure = requestsFor(proxy, () -> read(driver, ref, s -> s.readProfile(PROFILE, from, to)));
            assertEquals(first, afterFailure, "the shape is read again after the failed read");
        }
    }

    private interface Read {
        Object run() throws Exception;
    }

    private static int requestsFor(WrapperProxy proxy, Read read) throws Exception {
        int before = proxy.requests();
        read.run();
        return proxy.requests() - before;
    }
}

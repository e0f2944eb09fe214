package org.medida.edge.dlms;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.medida.edge.api.DriverResult;
import org.medida.edge.api.Failure;
import org.medida.edge.api.MeterConversation;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.Priority;
import org.medida.simulator.MeterKeys;
import org.medida.simulator.SimulatedMeter;

/** How the tests reach simulated meters and talk to them through the driver. */
final class TestMeters {

    private TestMeters() {
    }

    static DriverSettings settings(Path stateDirectory) {
        return DriverSettings.defaults(stateDirectory).withRequestTimeout(Duration.ofSeconds(3))
                .withRetries(1, Duration.ofMillis(100));
    }

    static MeterLink linkOf(SimulatedMeter meter) {
        return switch (meter.transport()) {
            case WRAPPER -> new MeterLink.TcpWrapper("127.0.0.1", meter.port(), meter.logicalDevice(), null);
            case HDLC -> new MeterLink.TcpHdlc("127.0.0.1", meter.port(), meter.physicalAddress(),
                    meter.logicalDevice(), null);
            case SERIAL -> new MeterLink.SerialModeE(meter.serialDevice(), "", meter.physicalAddress(),
                    meter.logicalDevice());
        };
    }

    static MeterRef publicClient(SimulatedMeter meter) {
        return new MeterRef(meter.serial(), linkOf(meter), MeterSecurity.publicClient());
    }

    static MeterRef lls(SimulatedMeter meter) {
        return new MeterRef(meter.serial(), linkOf(meter), MeterSecurity.lowLevel(meter.keys().password()));
    }

    static MeterRef hls5(SimulatedMeter meter) {
        MeterKeys keys = meter.keys();
        return new MeterRef(meter.serial(), linkOf(meter),
                MeterSecurity.hls5Gmac(keys.encryptionKey(), keys.authenticationKey()));
    }

    static <T> DriverResult<T> talk(DlmsMeterDriver driver, MeterRef meter, MeterConversation<T> conversation)
            throws Exception {
        return driver.submit(meter, Priority.NORMAL, conversation).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** The value of a conversation that must succeed. */
    static <T> T read(DlmsMeterDriver driver, MeterRef meter, MeterConversation<T> conversation) throws Exception {
        DriverResult<T> result = talk(driver, meter, conversation);
        if (result instanceof DriverResult.Failed<T> failed) {
            throw new AssertionError(meter.serial() + " over " + meter.link() + ": " + failed.failure());
        }
        return ((DriverResult.Success<T>) result).value();
    }

    /** The failure of a conversation that must fail. */
    static Failure failure(DriverResult<?> result) {
        if (result instanceof DriverResult.Failed<?> failed) {
            return failed.failure();
        }
        throw new AssertionError("expected a failure, got " + result);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

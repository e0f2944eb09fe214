package org.medida.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.rules.ExternalResource;
import org.medida.simulator.MeterKeys;

/**
 * The simulated meters of {@link SimulatedMetersSuite}, each fleet a separate simulator process started from the
 * built jar. All fleets share one epoch and key seed, so the by-entry meter holds exactly the data of the wrapper
 * meter with the same serial. Publishes every {@link TestMeter} and the driver's state directory as system
 * properties, which the tests inside the framework read.
 */
final class SimulatedFleets extends ExternalResource {

    static final String KEY_SEED = "medida-itests";
    /** Shared by the wrapper and by-entry fleets: same serial, same epoch, hence the same profile. */
    private static final String SHARED_PREFIX = "ITW";

    private final List<SimulatorProcess> simulators = new ArrayList<>();
    private final Instant epoch = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Override
    protected void before() throws Exception {
        try {
            startFleets();
        } catch (Exception | Error e) {
            // JUnit skips after() when before() fails: stop whatever did start
            after();
            throw e;
        }
    }

    private void startFleets() throws IOException, InterruptedException {
        Path target = Path.of(required("medida.itest.target"));
        System.setProperty(SimulatedMetersSuite.STATE_DIR,
                Files.createTempDirectory(target, "driver-state-").toString());

        int wrapperPort = freePorts(2);
        start("wrapper", target, wrapperPort, List.of("--transport", "WRAPPER", "--meters", "2",
                "--serial-prefix", SHARED_PREFIX), () -> ProcessChild.accepting(wrapperPort + 1));
        publish(TestMeter.WRAPPER, SHARED_PREFIX + "000001", "127.0.0.1:" + wrapperPort);
        publish(TestMeter.REPLAY, SHARED_PREFIX + "000002", "127.0.0.1:" + (wrapperPort + 1));

        int entryPort = freePorts(1);
        start("by-entry", target, entryPort, List.of("--transport", "WRAPPER", "--meters", "1", "--no-range-access",
                "--serial-prefix", SHARED_PREFIX), () -> ProcessChild.accepting(entryPort));
        publish(TestMeter.BY_ENTRY, SHARED_PREFIX + "000001", "127.0.0.1:" + entryPort);

        int hdlcPort = freePorts(1);
        start("hdlc", target, hdlcPort, List.of("--transport", "HDLC", "--meters", "1", "--serial-prefix", "ITH"),
                () -> ProcessChild.accepting(hdlcPort));
        publish(TestMeter.HDLC, "ITH000001", "127.0.0.1:" + hdlcPort);

        // the serial meter's HDLC port stays inside the simulator, behind the pseudo-terminal
        Path ptyDir = Files.createTempDirectory(target, "pty-");
        Path device = ptyDir.resolve("ITS000001");
        start("serial", target, freePorts(1), List.of("--transport", "SERIAL", "--meters", "1", "--serial-prefix", "ITS",
                "--pty-dir", ptyDir.toString()), () -> Files.exists(device));
        publish(TestMeter.SERIAL, "ITS000001", device.toString());
    }

    @Override
    protected void after() {
        for (SimulatorProcess simulator : simulators) {
            try {
                simulator.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts a fleet with meter ports from {@code basePort} and waits until it is {@code ready}. */
    private void start(String name, Path target, int basePort, List<String> fleetArgs, BooleanSupplier ready)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(fleetArgs);
        args.addAll(List.of("--base-port", String.valueOf(basePort), "--epoch", epoch.toString(),
                "--key-seed", KEY_SEED));
        simulators.add(SimulatorProcess.start(name, jar(), args, target, ready));
    }

    private static void publish(TestMeter meter, String serial, String endpoint) {
        MeterKeys keys = MeterKeys.derive(KEY_SEED, serial);
        meter.publish(serial, endpoint, keys.password(), keys.encryptionKey(), keys.authenticationKey());
    }

    /** The first of {@code count} consecutive free loopback ports (one simulator port per meter). */
    private static int freePorts(int count) throws IOException {
        while (true) {
            int first;
            try (ServerSocket probe = new ServerSocket(0)) {
                first = probe.getLocalPort();
            }
            if (first + count <= 65535 && allFree(first, count)) {
                return first;
            }
        }
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket probe = new ServerSocket(port)) {
                // free
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    private static Path jar() {
        return Path.of(required("medida.simulator.jar"));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException(property + " is not set: run the tests through Maven");
        }
        return value;
    }
}

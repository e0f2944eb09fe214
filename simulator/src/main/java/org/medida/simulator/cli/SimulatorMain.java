package org.medida.simulator.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.LinkEmulation;
import org.medida.simulator.MeterFleet;
import org.medida.simulator.SimulatedMeter;
import org.medida.simulator.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a fleet of simulated meters until the process is stopped, printing how to reach each meter. */
@Command(name = "medida-simulator", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs N simulated IDIS-style DLMS/COSEM meters on loopback until killed.")
public final class SimulatorMain implements Callable<Integer> {

    @Option(names = "--meters", description = "How many meters (default ${DEFAULT-VALUE}).", defaultValue = "10")
    int meters;

    @Option(names = "--base-port", description = "First TCP port; one port per group of meters (default ${DEFAULT-VALUE}; 0 = any free ports).",
            defaultValue = "4059")
    int basePort;

    @Option(names = "--meters-per-port", description = "Meters sharing one port as logical devices 1..n (default ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int metersPerPort;

    @Option(names = "--transport", description = "WRAPPER, HDLC or SERIAL (default ${DEFAULT-VALUE}).", defaultValue = "WRAPPER")
    Transport transport;

    @Option(names = "--serial-prefix", description = "Serial numbers are PREFIX000001... (default ${DEFAULT-VALUE}).", defaultValue = "SIM")
    String serialPrefix;

    @Option(names = "--key-seed", description = "Seed of the per-meter keys (see README) (default ${DEFAULT-VALUE}).", defaultValue = "demo")
    String keySeed;

    @Option(names = "--latency-ms", description = "Delay before every response (default ${DEFAULT-VALUE}).", defaultValue = "0")
    long latencyMs;

    @Option(names = "--jitter-ms", description = "Extra random delay up to this (default ${DEFAULT-VALUE}).", defaultValue = "0")
    long jitterMs;

    @Option(names = "--loss", description = "Probability that a response is lost, 0..1 (default ${DEFAULT-VALUE}).", defaultValue = "0")
    double loss;

    @Option(names = "--unreachable", paramLabel = "START+LENGTH", converter = WindowSpec.Converter.class,
            description = "Meter-time window after the epoch with no answers, e.g. 2h+30m; repeatable.")
    List<WindowSpec> unreachable = List.of();

    @Option(names = "--powered-off", paramLabel = "START+LENGTH", converter = WindowSpec.Converter.class,
            description = "Meter-time window after the epoch without power (no answers, profile gap, power-failure events); repeatable.")
    List<WindowSpec> poweredOff = List.of();

    @Option(names = "--acceleration", description = "Meter time runs this many times faster (default ${DEFAULT-VALUE}).", defaultValue = "1")
    double acceleration;

    @Option(names = "--epoch", description = "Meter clock at start, ISO-8601 (default: now).")
    Instant epoch;

    @Option(names = "--drift-ppm", description = "Clock drift in ppm (default ${DEFAULT-VALUE}).", defaultValue = "0")
    double driftPpm;

    @Option(names = "--profile-period", description = "Load profile capture period, e.g. 15m or 60m (default ${DEFAULT-VALUE}).",
            defaultValue = "15m", converter = DurationConverter.class)
    Duration profilePeriod;

    @Option(names = "--profile-entries", description = "Load profile buffer depth (default ${DEFAULT-VALUE}).", defaultValue = "960")
    int profileEntries;

    @Option(names = "--no-range-access", description = "Profiles refuse selective access by range (by entry only).")
    boolean noRangeAccess;

    @Option(names = "--pty-dir", description = "Where SERIAL pseudo-terminals are linked (default ${DEFAULT-VALUE}).",
            defaultValue = "/tmp/medida-pty")
    Path ptyDir;

    @Option(names = "--inventory-out", paramLabel = "FILE",
            description = "Write the fleet as a gateway meters file (CSV with the meters' keys) to FILE.")
    Path inventoryOut;

    @Option(names = "--state-file", paramLabel = "FILE",
            description = "Keep each meter's relay, disconnect control state and A+ register in FILE (rewritten "
                    + "every 200 ms), for tests that check what a command did.")
    Path stateFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Instant start = epoch != null ? epoch : Instant.now();
        LinkEmulation link = new LinkEmulation(Duration.ofMillis(latencyMs), Duration.ofMillis(jitterMs), loss,
                unreachable.stream().map(w -> w.from(start)).toList(),
                poweredOff.stream().map(w -> w.from(start)).toList());
        FleetConfig config = FleetConfig.builder().meters(meters).basePort(basePort).metersPerPort(metersPerPort)
                .transport(transport).serialPrefix(serialPrefix).keySeed(keySeed).link(link)
                .timeAcceleration(acceleration).epoch(start).clockDriftPpm(driftPpm).profilePeriod(profilePeriod)
                .profileEntries(profileEntries).rangeAccess(!noRangeAccess).ptyDir(ptyDir).build();
        CountDownLatch stopped = new CountDownLatch(1);
        try (MeterFleet fleet = MeterFleet.start(config)) {
            fleet.meters().forEach(m -> System.out.println(describe(m)));
            if (inventoryOut != null) {
                InventoryFile.write(fleet.meters(), inventoryOut);
            }
            System.out.println(fleet.meters().size() + " meters running (" + transport
                    + "); public client SAP 16, management client SAP 1 with LLS or HLS5-GMAC; stop with Ctrl-C");
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            try (StateFile state = stateFile == null ? null : new StateFile(stateFile, fleet.meters())) {
                stopped.await();
            }
        }
        return 0;
    }

    private static String describe(SimulatedMeter m) {
        String where = m.serialDevice() != null ? "pty=" + m.serialDevice() : "port=" + m.port();
        return m.serial() + " " + m.transport().name().toLowerCase() + " " + where + " logical-device="
                + m.logicalDevice() + " physical-address=" + m.physicalAddress();
    }
}

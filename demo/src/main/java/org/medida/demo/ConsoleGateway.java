package org.medida.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.medida.edge.api.ClockReading;
import org.medida.edge.api.DriverResult;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.api.MeterAccessException;
import org.medida.edge.api.MeterLink;
import org.medida.edge.api.MeterRef;
import org.medida.edge.api.MeterSecurity;
import org.medida.edge.api.MeterSession;
import org.medida.edge.api.Priority;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;
import org.medida.edge.dlms.DlmsMeterDriver;
import org.medida.edge.dlms.DriverSettings;
import org.medida.simulator.FleetConfig;
import org.medida.simulator.MeterKeys;
import org.medida.simulator.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The demo's stand-in for the edge gateway until the collector and central exist: every round it reads each meter
 * of a simulated fleet through the DLMS driver (HLS5-GMAC management client) and prints one line per meter.
 */
@Command(name = "medida-demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reads a simulated fleet through the Medida DLMS driver and prints what each meter says.")
public final class ConsoleGateway implements Callable<Integer> {

    private static final String ACTIVE_IMPORT = "1.0.1.8.0.255";
    private static final String ACTIVE_EXPORT = "1.0.2.8.0.255";
    private static final String ACTIVE_POWER = "1.0.1.7.0.255";
    private static final String VOLTAGE_L1 = "1.0.32.7.0.255";
    private static final String LOAD_PROFILE = "1.0.99.1.0.255";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    @Option(names = "--meters", defaultValue = "20", description = "Meters in the fleet (default ${DEFAULT-VALUE}).")
    int meters;

    @Option(names = "--base-port", defaultValue = "4059", description = "The fleet's first port (default ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--meters-per-port", defaultValue = "1", description = "Meters per port (default ${DEFAULT-VALUE}).")
    int metersPerPort;

    @Option(names = "--transport", defaultValue = "HDLC", description = "WRAPPER or HDLC (default ${DEFAULT-VALUE}).")
    Transport transport;

    @Option(names = "--serial-prefix", defaultValue = "SIM", description = "Serial prefix (default ${DEFAULT-VALUE}).")
    String serialPrefix;

    @Option(names = "--key-seed", defaultValue = "demo", description = "The fleet's key seed (default ${DEFAULT-VALUE}).")
    String keySeed;

    @Option(names = "--every", defaultValue = "15", description = "Seconds between reading rounds (default ${DEFAULT-VALUE}).")
    int everySeconds;

    @Option(names = "--rounds", defaultValue = "0", description = "Stop after this many rounds; 0 runs until killed.")
    int rounds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConsoleGateway()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<MeterRef> fleet = fleetInventory();
        Path state = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "medida-demo-gateway"));
        try (DlmsMeterDriver driver = new DlmsMeterDriver(DriverSettings.defaults(state))) {
            for (int round = 1; rounds == 0 || round <= rounds; round++) {
                printRound(round, fleet, driver);
                Thread.sleep(Duration.ofSeconds(everySeconds).toMillis());
            }
        }
        return 0;
    }

    /** The gateway's meter table: the same layout the simulator uses for these options, keys from the seed. */
    private List<MeterRef> fleetInventory() {
        FleetConfig layout = FleetConfig.builder().meters(meters).basePort(basePort).metersPerPort(metersPerPort)
                .transport(transport).serialPrefix(serialPrefix).keySeed(keySeed).build();
        List<MeterRef> refs = new ArrayList<>();
        for (int i = 0; i < meters; i++) {
            String serial = layout.serialOf(i);
            int port = layout.portOf(i);
            int logicalDevice = layout.logicalDeviceOf(i);
            MeterLink link = transport == Transport.WRAPPER
                    ? new MeterLink.TcpWrapper("127.0.0.1", port, logicalDevice, null)
                    : new MeterLink.TcpHdlc("127.0.0.1", port, layout.physicalAddressOf(i), logicalDevice, null);
            MeterKeys keys = MeterKeys.derive(keySeed, serial);
            refs.add(new MeterRef(serial, link, MeterSecurity.hls5Gmac(keys.encryptionKey(), keys.authenticationKey())));
        }
        return refs;
    }

    private static void printRound(int round, List<MeterRef> fleet, DlmsMeterDriver driver) {
        Instant started = Instant.now();
        List<CompletableFuture<String>> lines = fleet.stream()
                .map(meter -> driver.submit(meter, Priority.NORMAL, ConsoleGateway::snapshot)
                        .thenApply(result -> line(meter, result)).toCompletableFuture())
                .toList();
        System.out.printf(Locale.ROOT, "%n── round %d · %s UTC ──%n%-10s %14s %12s %8s %7s %8s %7s  %s%n", round,
                TIME.format(started), "meter", "A+ kWh", "A- kWh", "P W", "U V", "clock", "relay", "last profile entry");
        lines.forEach(line -> System.out.println(line.join()));
        System.out.printf(Locale.ROOT, "%d meters read in %d ms%n", fleet.size(),
                Duration.between(started, Instant.now()).toMillis());
    }

    /** One association per meter per round: registers, clock, relay, and the last hour of load profile. */
    private static String snapshot(MeterSession session) throws MeterAccessException {
        List<DriverResult<RegisterReading>> registers = session
                .readRegisters(List.of(ACTIVE_IMPORT, ACTIVE_EXPORT, ACTIVE_POWER, VOLTAGE_L1));
        ClockReading clock = session.readClock();
        SupplyState supply = session.readSupplyState();
        Instant now = clock.meterTime();
        IntervalBlock profile = session.readProfile(LOAD_PROFILE, now.minus(Duration.ofHours(1)), now);
        String lastEntry = profile.intervals().isEmpty() ? "-"
                : TIME.format(profile.intervals().get(profile.intervals().size() - 1).end()) + " ("
                        + profile.intervals().size() + " in the last hour)";
        return String.format(Locale.ROOT, "%14s %12s %8s %7s %+7.1fs %7s  %s", kilo(registers.get(0)), kilo(registers.get(1)),
                plain(registers.get(2)), plain(registers.get(3)), clock.deviation().toMillis() / 1000.0,
                supply.relayClosed() ? "closed" : "OPEN", lastEntry);
    }

    private static String line(MeterRef meter, DriverResult<String> result) {
        String text = result instanceof DriverResult.Failed<String> failed
                ? "FAILED " + failed.failure().kind() + ": " + failed.failure().detail()
                : ((DriverResult.Success<String>) result).value();
        return String.format(Locale.ROOT, "%-10s %s", meter.serial(), text);
    }

    private static String kilo(DriverResult<RegisterReading> reading) {
        return reading instanceof DriverResult.Success<RegisterReading> s
                ? s.value().value().movePointLeft(3).setScale(3, java.math.RoundingMode.HALF_UP).toPlainString()
                : "?";
    }

    private static String plain(DriverResult<RegisterReading> reading) {
        return reading instanceof DriverResult.Success<RegisterReading> s
                ? s.value().value().setScale(0, java.math.RoundingMode.HALF_UP).toPlainString()
                : "?";
    }
}

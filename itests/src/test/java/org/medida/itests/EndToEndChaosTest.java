package org.medida.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.medida.simulator.TimeWindow;
import org.medida.testing.MosquittoBroker;

/**
 * Issue 3's proof: every value the meters produced reaches central's database exactly once, through a WAN outage
 * that fills the edge's disk budget, a SIGKILL of the gateway while it drains its backlog, and a restart of central.
 * Real processes only: Mosquitto with per-gateway credentials, central ({@code medida-central.jar}), the edge
 * runtime of the simulator hardware profile ({@code bin/medida-edge}), and three simulator processes with 60
 * meters on emulated PLC links (latency, jitter, loss), their clocks running ten times faster than the wall clock so
 * that a few minutes hold hours of one-minute load profile.
 *
 * <ol>
 * <li>Fleets A (15 meters) and C (5 meters, powered off for 10 meter-minutes) are in the gateway's meters file;
 *     their 12 hours of backfill reach central.</li>
 * <li>The broker stops. Fleet B (40 meters) is commissioned into the meters file: the gateway backfills them into its
 *     store while the WAN is down, until its disk budget overflows and the oldest interval data is dropped.</li>
 * <li>The broker comes back; while the gateway drains its backlog it is killed with SIGKILL (central sees its last
 *     will) and started again on the same data directory (central sees it online, in a later session).</li>
 * <li>Central is restarted while batches are in flight.</li>
 * <li>The fleets stop; once the gateway's backlog is empty, central's database is compared with the simulator's
 *     deterministic generator for every meter, channel, interval, billing closure and event.</li>
 * </ol>
 */
class EndToEndChaosTest {

    private static final String GATEWAY = "gw-e2e";

    private static final int ACCELERATION = 10;
    private static final Duration PERIOD = Duration.ofMinutes(1);
    private static final int PROFILE_ENTRIES = 1440;
    private static final Duration BACKFILL = Duration.ofHours(12);
    /**
     * The meters' clock at start. Fixed, so that every run collects the same values; the collector works on the
     * meters' time, and the clock job, which would compare it with the gateway's, is off. At 06:00 the 12-hour
     * backfill always reaches back over a midnight, hence a billing closure.
     */
    private static final Instant EPOCH = Instant.parse("2026-03-02T06:00:00Z");
    /** Meter time after the epoch when fleet C loses power, and for how long. */
    private static final Duration POWER_CUT_AFTER = Duration.ofMinutes(10);
    private static final Duration POWER_CUT = Duration.ofMinutes(10);
    /** The edge's disk budget: more than fleets A and C's backfill, less than fleet B's. */
    private static final long STORE_BYTES = 1_048_576;
    private static final int EVENTS_EVERY_SECONDS = 20;

    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern BACKLOG_ROW = Pattern.compile("^(\\w+)\\s+(\\d+)$");
    private static final Pattern OPEN_BATCHES = Pattern.compile("open batches (\\d+), (\\d+) of (\\d+) bytes used");

    @RegisterExtension
    static final EndToEndSite SITE = new EndToEndSite("e2e", GATEWAY);

    private static final List<SimulatorProcess> FLEETS = new ArrayList<>();

    @Test
    void centralHoldsExactlyWhatTheMetersMeasured() throws Exception {
        EndToEndCentral central = SITE.start(List.of());
        MosquittoBroker broker = SITE.broker();
        Path work = SITE.work();
        Instant epoch = EPOCH;

        EndToEndExpectation.Fleet fleetA = fleet("EEA", 15, epoch, List.of());
        EndToEndExpectation.Fleet fleetC = fleet("EEC", 5, epoch,
                List.of(TimeWindow.of(epoch.plus(POWER_CUT_AFTER), POWER_CUT)));
        EndToEndExpectation.Fleet fleetB = fleet("EEB", 40, epoch, List.of());
        Path metersA = startFleet(work, fleetA, List.of());
        Instant fleetCStarted = Instant.now();
        Path metersC = startFleet(work, fleetC, List.of("--powered-off",
                POWER_CUT_AFTER.toMinutes() + "m+" + POWER_CUT.toMinutes() + "m"));
        Path metersB = startFleet(work, fleetB, List.of());

        Path conf = work.resolve("edge-conf");
        Path metersFile = conf.resolve("meters.csv");
        EndToEndFiles.writeMetersFile(metersFile, metersA, metersC);
        edgeConfig().writeTo(conf);
        SITE.startEdge(conf);

        // 1. fleets A and C flow to central
        ProcessWait.until("data of fleets A and C at central", PHASE_TIMEOUT,
                () -> central.lastIntervalEnds().size() == fleetA.meters() + fleetC.meters());
        long sessionBefore = central.gateway(GATEWAY).orElseThrow().session();

        // 2. WAN outage; fleet B is commissioned meanwhile and overflows the store
        broker.stop();
        EndToEndFiles.writeMetersFile(metersFile, metersA, metersC, metersB);
        ProcessWait.until("the disk budget overflowing during the outage", PHASE_TIMEOUT,
                () -> backlog().getOrDefault("DROPS", 0L) > 0);
        SITE.children().print("outage: " + backlog());

        // 3. WAN back; SIGKILL while the backlog drains
        broker.restart();
        long batchesAtReconnect = central.count("ingested_batches");
        Map<String, Map<String, Long>> atKill = new HashMap<>();
        ProcessWait.until("the gateway draining its backlog, batches in flight", PHASE_TIMEOUT, () -> {
            atKill.put("backlog", backlog());
            return central.count("ingested_batches") >= batchesAtReconnect + 5 && atKill.get("backlog").get("OPEN") > 0;
        });
        SITE.edge().kill();
        SITE.children().print("SIGKILL with backlog " + atKill.get("backlog"));
        assertTrue(atKill.get("backlog").get("INTERVALS") > 0, "killed while intervals were still waiting");
        ProcessWait.until("central seeing the gateway's last will", PHASE_TIMEOUT,
                () -> !central.gateway(GATEWAY).orElseThrow().online());
        long killedSession = central.gateway(GATEWAY).orElseThrow().session();
        assertTrue(killedSession > sessionBefore, "the reconnect after the outage was a new session");

        SITE.startEdge(conf);
        ProcessWait.until("central seeing the gateway online again in a later session", PHASE_TIMEOUT, () -> {
            EndToEndCentral.GatewayState state = central.gateway(GATEWAY).orElseThrow();
            return state.online() && state.session() > killedSession;
        });

        // 4. central restarts while batches are in flight
        long batchesAtEdgeRestart = central.count("ingested_batches");
        ProcessWait.until("batches after the edge's restart", PHASE_TIMEOUT,
                () -> central.count("ingested_batches") >= batchesAtEdgeRestart + 3);
        central.restart();

        // 5. the power cut of fleet C is over and proven by later entries; then the meters stop
        Duration cutOverAndProven = POWER_CUT_AFTER.plus(POWER_CUT).plus(PERIOD.multipliedBy(5));
        Instant afterPowerCut = epoch.plus(cutOverAndProven);
        Instant meterTimeThere = fleetCStarted.plus(cutOverAndProven.dividedBy(ACCELERATION));
        Duration stillToCome = Duration.between(Instant.now(), meterTimeThere);
        ProcessWait.until("entries of fleet C after its power cut at central",
                PHASE_TIMEOUT.plus(stillToCome.isNegative() ? Duration.ZERO : stillToCome),
                () -> {
                    Map<String, Instant> last = central.lastIntervalEnds();
                    return fleetC.serials().stream()
                            .allMatch(serial -> last.getOrDefault(serial, Instant.EPOCH).isAfter(afterPowerCut));
                });
        for (SimulatorProcess fleet : FLEETS) {
            fleet.close();
        }
        ProcessWait.until("the gateway's backlog empty", PHASE_TIMEOUT, () -> {
            Map<String, Long> backlog = backlog();
            return backlog.values().stream().allMatch(n -> n == 0);
        });
        SITE.children().print("restarted edge runtime (-Xmx64m, 60 meters): peak RSS "
                + SITE.edge().process().peakResidentKib() / 1024 + " MiB");
        SITE.edge().terminate();

        EndToEndExpectation expectation = new EndToEndExpectation(List.of(fleetA, fleetB, fleetC),
                Duration.ofSeconds(EVENTS_EVERY_SECONDS * ACCELERATION).plus(Duration.ofMinutes(10)), BACKFILL);
        EndToEndExpectation.Report report = expectation.compare(central.contents());
        SITE.children().print(report.toString());
        assertTrue(report.clean(), report.toString());
        assertTrue(report.dropReports() > 0, "the disk budget was hit and reported");
        assertTrue(report.poweredOffWithGap() > 0, "fleet C's power cut is a gap at central");
        assertTrue(report.events() > 0 && report.closures() > 0, "events and closures were compared");
        assertEquals(fleetA.meters() + fleetB.meters() + fleetC.meters(), expectation.serials().size());
    }

    private static EndToEndExpectation.Fleet fleet(String prefix, int meters, Instant epoch, List<TimeWindow> off) {
        return new EndToEndExpectation.Fleet(prefix, meters, epoch, PERIOD, PROFILE_ENTRIES, off);
    }

    /** Starts a fleet as its own simulator process on emulated PLC links; returns its meters file. */
    private static Path startFleet(Path work, EndToEndExpectation.Fleet fleet, List<String> more) throws Exception {
        Path meters = work.resolve("meters-" + fleet.prefix() + ".csv");
        List<String> args = new ArrayList<>(List.of("--meters", Integer.toString(fleet.meters()),
                "--meters-per-port", "5", "--base-port", "0", "--serial-prefix", fleet.prefix(),
                "--epoch", fleet.epoch().toString(), "--acceleration", Integer.toString(ACCELERATION),
                "--profile-period", PERIOD.toMinutes() + "m", "--profile-entries", Integer.toString(PROFILE_ENTRIES),
                "--latency-ms", "20", "--jitter-ms", "20", "--loss", "0.005",
                "--inventory-out", meters.toString()));
        args.addAll(more);
        SimulatorProcess simulator = SimulatorProcess.start(fleet.prefix(), EndToEndFiles.simulatorJar(), args, work,
                () -> Files.exists(meters));
        FLEETS.add(simulator);
        SITE.children().add(simulator);
        SITE.children().log(work.resolve("simulator-" + fleet.prefix() + ".log"));
        return meters;
    }

    private static RuntimeConfig edgeConfig() throws IOException {
        return SITE.edgeConfig()
                .set("org.medida.edge.store", "maxBytes", STORE_BYTES)
                .set("org.medida.edge.inventory", "importCheckSeconds", 2)
                .set("org.medida.edge.collector", "profileEverySeconds", 15)
                .set("org.medida.edge.collector", "chunkEntries", 240)
                .set("org.medida.edge.collector", "profileBufferEntries", PROFILE_ENTRIES)
                .set("org.medida.edge.collector", "initialBackfillHours", BACKFILL.toHours())
                .set("org.medida.edge.collector", "eventsEverySeconds", EVENTS_EVERY_SECONDS)
                // the meters' clocks run ten times faster: the clock job would only raise alarms
                .set("org.medida.edge.collector", "clockEverySeconds", 0)
                .set("org.medida.edge.uplink", "inFlightBatches", 4)
                .set("org.medida.edge.uplink", "ackTimeoutSeconds", 10)
                .set("org.medida.edge.uplink", "maxEntriesPerBatch", 120)
                // slow enough that the SIGKILL finds batches in flight
                .set("org.medida.edge.uplink", "maxBatchesPerSecond", 5);
    }

    /** {@code medida:backlog} as numbers: rows per data class, and "OPEN" batches. */
    private static Map<String, Long> backlog() throws IOException {
        Map<String, Long> rows = new HashMap<>();
        for (String line : SITE.edge().shell("medida:backlog").lines().toList()) {
            Matcher row = BACKLOG_ROW.matcher(line.trim());
            Matcher open = OPEN_BATCHES.matcher(line);
            if (row.matches()) {
                rows.put(row.group(1), Long.parseLong(row.group(2)));
            } else if (open.find()) {
                rows.put("OPEN", Long.parseLong(open.group(1)));
            }
        }
        if (!rows.containsKey("OPEN") || !rows.containsKey("INTERVALS")) {
            throw new IOException("unexpected medida:backlog output: " + rows);
        }
        return rows;
    }
}

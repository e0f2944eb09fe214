package org.medida.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import org.medida.edge.api.Backlog;
import org.medida.edge.api.Interval;
import org.medida.edge.api.IntervalBlock;
import org.medida.edge.store.SqliteReadingStore;
import org.medida.edge.store.StoreSettings;
import org.medida.edge.uplink.MqttUplink;
import org.medida.edge.uplink.UplinkSettings;
import org.medida.testing.MosquittoBroker;

/**
 * B4: bytes on the wire per interval value. A store is filled with meter-days of realistic load profile (the
 * simulator's household model, A+ and A- every 15 minutes), then the real uplink ({@link MqttUplink}, default
 * settings) drains it to a real Mosquitto through a byte-counting TCP proxy while a stand-in central acknowledges
 * every batch. Everything the gateway's connection carries counts, both ways: CONNECT, the last will and the birth,
 * subscriptions, every PUBLISH with its topic and MQTT header, PUBACKs, central's acknowledgements, pings, the
 * clean disconnect. Baseline in the same run: the same values as naive JSON (one object per value with meter,
 * OBIS, end time, value, unit, status), payload bytes only.
 * <p>
 * {@code WireBytesBenchmark [meters] [days]}, default 100 2.
 */
public final class WireBytesBenchmark {

    private static final String GATEWAY = "bench-gw";
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(4);

    private WireBytesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int meters = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path dir = Files.createTempDirectory("medida-bench-b4");
        LocalDate firstDay = LocalDate.now(ZoneOffset.UTC).minusDays(days);
        long samples = 0;
        long jsonBytes = 0;
        try (SqliteReadingStore store = SqliteReadingStore.open(new StoreSettings(dir.resolve("store.db"),
                1024L * 1024 * 1024));
                MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
                ByteCountingProxy wan = new ByteCountingProxy(broker.port());
                AckingCentral central = AckingCentral.connect(broker.url())) {
            for (int m = 1; m <= meters; m++) {
                for (int d = 0; d < days; d++) {
                    IntervalBlock block = MeterDays.of(MeterDays.serial(m), firstDay.plusDays(d));
                    store.appendIntervals(block);
                    samples += (long) block.intervals().size() * block.channels().size();
                    jsonBytes += naiveJsonBytes(block);
                }
            }
            long started = System.nanoTime();
            MqttUplink uplink = new MqttUplink(UplinkSettings.defaults("tcp://127.0.0.1:" + wan.port(), GATEWAY,
                    dir.resolve("uplink")), store, Optional::empty);
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (!drained(store.backlog()) || central.samples() < samples) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not drained in " + DRAIN_TIMEOUT + ": " + store.backlog()
                            + ", " + uplink.status());
                }
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long payloadBytes = uplink.status().publishedBytes();
            long batches = uplink.status().publishedBatches();
            uplink.close();
            long wire = wan.sent() + wan.received();
            System.out.printf(Locale.ROOT, "%d meter-days, %d values in %d batches, drained in %.1f s; gateway sent "
                    + "%d bytes, received %d; batch payloads and topics %d bytes (%.2f B/value); naive JSON %d "
                    + "bytes%n", meters * days, samples, batches, seconds, wan.sent(), wan.received(), payloadBytes,
                    (double) payloadBytes / samples, jsonBytes);
            double perValue = (double) wire / samples;
            double jsonPerValue = (double) jsonBytes / samples;
            System.out.println();
            System.out.println("| ID | value | unit | baseline | ratio | command | date |");
            System.out.println("|---|---|---|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| B4 | %.2f | bytes/sample on the wire, both ways, all MQTT traffic "
                    + "(%d meter-days, 96 × 2 values each) | %.1f (naive JSON payload) | %.3f× | `bash benchmarks/run "
                    + "b4` | %s |%n", perValue, meters * days, jsonPerValue, perValue / jsonPerValue,
                    LocalDate.now());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean drained(Backlog backlog) {
        return backlog.openBatches() == 0 && backlog.entries().values().stream().allMatch(n -> n == 0);
    }

    /** The values as a naive JSON array of one object per value. */
    private static long naiveJsonBytes(IntervalBlock block) {
        StringBuilder json = new StringBuilder("[");
        for (Interval entry : block.intervals()) {
            for (int c = 0; c < block.channels().size(); c++) {
                json.append(String.format(Locale.ROOT, "{\"meter\":\"%s\",\"obis\":\"%s\",\"end\":\"%s\","
                        + "\"value\":%s,\"unit\":\"%s\",\"status\":%d},", block.serial(),
                        block.channels().get(c).obis(), entry.end(), entry.values().get(c).toPlainString(),
                        block.channels().get(c).unit(), entry.status()));
            }
        }
        json.setCharAt(json.length() - 1, ']');
        return json.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}

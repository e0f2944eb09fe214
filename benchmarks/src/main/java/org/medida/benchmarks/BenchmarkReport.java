package org.medida.benchmarks;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs a benchmark and its baseline in one JMH run and prints the docs/benchmarks.md row: the measured value, the
 * baseline from the same run and their ratio. Same run, because these machines are shared and noisy.
 */
public final class BenchmarkReport {

    private static final String COMMAND = "bash benchmarks/run b2";

    private BenchmarkReport() {
    }

    public static void main(String[] args) throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(ProfileReadBenchmark.class.getName()).build()).run();
        double driver = score(results, "driverProfileRead");
        double pipeline = score(results, "collectionPipeline");
        double raw = score(results, "rawJdlmsProfileRead");
        System.out.println();
        System.out.println("| ID | value | unit | baseline | ratio | command | date |");
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| B2 (driver stage) | %.1f | profile reads/s (96 entries, association included) "
                + "| %.1f (raw jDLMS) | %.2f× | `%s` | %s |%n", driver, raw, driver / raw, COMMAND, LocalDate.now());
        System.out.printf(Locale.ROOT, "| B2 | %.1f | meter-days/s through read + decode + store + batch + MQTT QoS 1 "
                + "+ ack + confirm (96 entries × 2 channels) | %.1f (raw jDLMS) | %.2f× | `%s` | %s |%n", pipeline,
                raw, pipeline / raw, COMMAND, LocalDate.now());
    }

    private static double score(Collection<RunResult> results, String method) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no result for " + method))
                .getPrimaryResult().getScore();
    }
}

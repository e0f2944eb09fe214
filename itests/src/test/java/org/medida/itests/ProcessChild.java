package org.medida.itests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A child process of a test: its output goes to a log file (appended, so a restarted child keeps one log), and it is
 * stopped by its PID only — SIGTERM first, SIGKILL if it does not exit in time — together with any children it
 * started.
 */
final class ProcessChild implements AutoCloseable {

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path log;

    private ProcessChild(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code workDir} with its output appended to {@code log}. */
    static ProcessChild start(String name, List<String> command, Path workDir, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, "---- " + Instant.now() + " " + String.join(" ", command) + System.lineSeparator(),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new ProcessChild(name, process, log);
    }

    /** The java executable of the JVM running the tests, so that children run on the same Java. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    Path log() {
        return log;
    }

    /** True when something accepts TCP connections on the loopback port. */
    static boolean accepting(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * Waits until {@code ready} holds; fails with the log's tail if the process exits first or the time runs out (and
     * then stops it).
     */
    void awaitReady(String what, Duration timeout, BooleanSupplier ready) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before " + what
                        + ":\n" + tail(40));
            }
            if (Instant.now().isAfter(deadline)) {
                close();
                throw new IllegalStateException(name + " not " + what + " after " + timeout + ":\n" + tail(40));
            }
            Thread.sleep(200);
        }
    }

    /**
     * SIGTERM, then SIGKILL if it has not exited within {@link #STOP_TIMEOUT}; its own children likewise. Returns
     * whether SIGTERM was enough.
     */
    boolean terminate() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        boolean clean = stop(process.toHandle());
        for (ProcessHandle child : children) {
            stop(child);
        }
        return clean;
    }

    /** The most resident memory the process has used so far (Linux: VmHWM), in KiB; -1 where unknown. */
    long peakResidentKib() {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(-1);
        } catch (IOException | NumberFormatException unknown) {
            return -1;
        }
    }

    /** SIGKILL, as a crash or a power cut would end it; waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The last {@code lines} lines of the log, for a failure report. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of " + name, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        terminate();
    }

    private static boolean stop(ProcessHandle process) throws InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        try {
            process.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException notStopping) {
            process.destroyForcibly();
            try {
                process.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("process " + process.pid() + " survives SIGKILL", e);
            }
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}

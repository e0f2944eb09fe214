package org.medida.itests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A meter simulator running as its own process from the built jar, the way the demo and an operator start it. Its
 * output goes to a log file beside the test reports; it is stopped by PID.
 */
final class SimulatorProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final long pid;

    private SimulatorProcess(String name, long pid) {
        this.name = name;
        this.pid = pid;
    }

    /**
     * Starts {@code java -Xmx256m -jar jar args} and returns once {@code ready} holds, e.g. once the meters' ports
     * accept connections.
     */
    static SimulatorProcess start(String name, Path jar, List<String> args, Path logDir, BooleanSupplier ready)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-jar", jar.toString()));
        command.addAll(args);
        Files.createDirectories(logDir);
        Path log = logDir.resolve("simulator-" + name + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        SimulatorProcess simulator = new SimulatorProcess(name, process.pid());
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("simulator " + name + " exited with " + process.exitValue()
                        + ":\n" + Files.readString(log));
            }
            if (Instant.now().isAfter(deadline)) {
                simulator.close();
                throw new IllegalStateException("simulator " + name + " not ready after " + START_TIMEOUT
                        + ":\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return simulator;
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
     * Stops the process by its PID: politely first, forcibly if it does not exit in time. Children it leaves behind
     * (the socat of a serial meter) are stopped too, so that no pseudo-terminal outlives the tests.
     */
    @Override
    public void close() throws InterruptedException {
        Optional<ProcessHandle> running = ProcessHandle.of(pid);
        if (running.isEmpty()) {
            return;
        }
        ProcessHandle process = running.get();
        List<ProcessHandle> children = process.descendants().toList();
        stop(process);
        for (ProcessHandle child : children) {
            stop(child);
        }
    }

    private static void stop(ProcessHandle process) throws InterruptedException {
        process.destroy();
        try {
            process.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException notStopping) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "simulator " + name + " (pid " + pid + ")";
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

package org.medida.itests;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A meter simulator running as its own process from the built jar, the way the demo and an operator start it. Its
 * output goes to {@code simulator-<name>.log} in the log directory; it is stopped by PID, with the socat processes of
 * serial meters it started.
 */
final class SimulatorProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final ProcessChild child;

    private SimulatorProcess(ProcessChild child) {
        this.child = child;
    }

    /**
     * Starts {@code java -Xmx256m -jar jar args} and returns once {@code ready} holds, e.g. once the meters' ports
     * accept connections.
     */
    static SimulatorProcess start(String name, Path jar, List<String> args, Path logDir, BooleanSupplier ready)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessChild.java(), "-Xmx256m", "-jar", jar.toString()));
        command.addAll(args);
        ProcessChild child = ProcessChild.start("simulator " + name, command, logDir,
                logDir.resolve("simulator-" + name + ".log"));
        child.awaitReady("ready", START_TIMEOUT, ready);
        return new SimulatorProcess(child);
    }

    /** SIGTERM (the simulator stops its socat children itself), SIGKILL if it hangs; leftover children likewise. */
    @Override
    public void close() throws InterruptedException {
        child.terminate();
    }

    @Override
    public String toString() {
        return child.toString();
    }
}

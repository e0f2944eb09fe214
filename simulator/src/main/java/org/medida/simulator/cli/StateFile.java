package org.medida.simulator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.medida.simulator.SimulatedMeter;

/**
 * {@code --state-file}: what each meter's disconnector and A+ register are now, rewritten every 200 ms (replaced in
 * one step), so a test reads a meter's supply state without talking DLMS to it. One line per meter:
 * {@code <serial> relay=closed|open control=<CONNECTED|DISCONNECTED|READY_FOR_RECONNECTION> importWh=<n>}.
 */
final class StateFile implements AutoCloseable {

    private final Path file;
    private final List<SimulatedMeter> meters;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "state-file");
        thread.setDaemon(true);
        return thread;
    });

    StateFile(Path file, List<SimulatedMeter> meters) throws IOException {
        this.file = file.toAbsolutePath();
        this.meters = meters;
        write();
        writer.scheduleWithFixedDelay(this::rewrite, 200, 200, TimeUnit.MILLISECONDS);
    }

    private void rewrite() {
        try {
            write();
        } catch (IOException e) {
            System.err.println("cannot write the state file " + file + ": " + e.getMessage());
        }
    }

    private void write() throws IOException {
        StringBuilder text = new StringBuilder();
        for (SimulatedMeter meter : meters) {
            text.append(meter.serial()).append(" relay=").append(meter.relayClosed() ? "closed" : "open")
                    .append(" control=").append(meter.model().supplyState())
                    .append(" importWh=").append(meter.model().totals().importWh()).append('\n');
        }
        Path next = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}

package org.medida.simulator.serial;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A pseudo-terminal pair made by {@code socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B}: a client opens
 * {@link #clientDevice()} as its serial port, the simulator talks through {@link #meterDevice()}. Closing stops
 * that socat process (by its PID) and nothing else.
 */
public final class PtyPair implements AutoCloseable {

    private static final long START_TIMEOUT_MILLIS = 5_000;

    private final Process socat;
    private final Path clientDevice;
    private final Path meterDevice;

    private PtyPair(Process socat, Path clientDevice, Path meterDevice) {
        this.socat = socat;
        this.clientDevice = clientDevice;
        this.meterDevice = meterDevice;
    }

    /** Starts socat with links {@code dir/name} (client side) and {@code dir/name.meter}. */
    public static PtyPair start(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path client = dir.resolve(name);
        Path meter = dir.resolve(name + ".meter");
        Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + client, "pty,raw,echo=0,link=" + meter)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        PtyPair pair = new PtyPair(socat, client, meter);
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (!(Files.exists(client) && Files.exists(meter))) {
            if (!socat.isAlive() || System.currentTimeMillis() > deadline) {
                pair.close();
                throw new IOException("socat did not create the pty pair " + client);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pair.close();
                throw new IOException("interrupted while starting socat", e);
            }
        }
        return pair;
    }

    public Path clientDevice() {
        return clientDevice;
    }

    public Path meterDevice() {
        return meterDevice;
    }

    public long pid() {
        return socat.pid();
    }

    @Override
    public void close() {
        socat.destroy();
        try {
            if (!socat.waitFor(2, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

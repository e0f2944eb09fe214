package org.medida.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker for one test: started from a configuration generated in the test's work directory, on a
 * loopback port of its own, and stopped by PID. It keeps nothing on disk between starts (persistence off), so a
 * restart behaves like a broker that lost its sessions, as after a crash of the WAN side.
 * <p>
 * With users, anonymous access is off and an ACL confines each gateway to its own topics
 * ({@code medida/v1/gw/<user>/#}); the user {@code central} may use all of {@code medida/v1/#}.
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path config;
    private final Path log;
    private final int port;
    private final boolean tls;
    private Process process;

    private MosquittoBroker(Path config, Path log, int port, boolean tls) {
        this.config = config;
        this.log = log;
        this.port = port;
        this.tls = tls;
    }

    /**
     * PEM files for a TLS listener: the CA that signed the server certificate (and the clients' certificates), the
     * certificate and its key; with {@code requireClientCertificate} a client must present a certificate of that CA.
     */
    public record Tls(Path caFile, Path certFile, Path keyFile, boolean requireClientCertificate) {
    }

    /** A broker that accepts anonymous clients. */
    public static MosquittoBroker start(Path workDir) throws IOException {
        return start(workDir, Map.of());
    }

    /** A broker that accepts only the given users (name → password), each confined to its own topics. */
    public static MosquittoBroker start(Path workDir, Map<String, String> users) throws IOException {
        return start(workDir, users, null);
    }

    /** As {@link #start(Path, Map)}, with a TLS listener if {@code tls} is not null ({@link #url()} is ssl://). */
    public static MosquittoBroker start(Path workDir, Map<String, String> users, Tls tls) throws IOException {
        Files.createDirectories(workDir);
        int port = FreePorts.next();
        List<String> lines = new ArrayList<>(List.of(
                "listener " + port + " 127.0.0.1",
                "persistence false",
                // Small QoS 1 messages and their acks would otherwise wait for Nagle's algorithm on loopback.
                "set_tcp_nodelay true",
                // As root Mosquitto would switch to its own user, which cannot read a test's private work directory.
                "user " + System.getProperty("user.name"),
                "log_dest file " + workDir.resolve("mosquitto.log").toAbsolutePath(),
                "log_type error", "log_type warning", "log_type notice", "log_type information",
                "connection_messages true",
                "max_packet_size 1048576"));
        if (tls != null) {
            lines.add("cafile " + tls.caFile().toAbsolutePath());
            lines.add("certfile " + tls.certFile().toAbsolutePath());
            lines.add("keyfile " + tls.keyFile().toAbsolutePath());
            lines.add("require_certificate " + tls.requireClientCertificate());
        }
        if (users.isEmpty()) {
            lines.add("allow_anonymous true");
        } else {
            lines.add("allow_anonymous false");
            lines.add("password_file " + writePasswords(workDir, users).toAbsolutePath());
            lines.add("acl_file " + writeAcl(workDir).toAbsolutePath());
        }
        Path config = workDir.resolve("mosquitto.conf");
        Files.write(config, lines);
        MosquittoBroker broker = new MosquittoBroker(config, workDir.resolve("mosquitto.log"), port, tls != null);
        broker.launch();
        return broker;
    }

    public int port() {
        return port;
    }

    public String url() {
        return (tls ? "ssl" : "tcp") + "://127.0.0.1:" + port;
    }

    /** The broker's log file, for a test's failure report. */
    public Path log() {
        return log;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGTERM to the broker's PID; waits until it has exited. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            awaitExit();
        }
    }

    /** SIGKILL to the broker's PID, as a crash; waits until it has exited. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    /** Starts the broker again on the same port and configuration (stopping it first if it runs). */
    public synchronized void restart() throws IOException {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void launch() throws IOException {
        process = new ProcessBuilder("mosquitto", "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(config.resolveSibling("mosquitto.out").toFile()))
                .start();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!accepts()) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + " at start, see "
                        + config.resolveSibling("mosquitto.out") + " and " + log);
            }
            if (Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new IOException("mosquitto did not listen on port " + port + " within " + START_TIMEOUT);
            }
            pause();
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for mosquitto", e);
        }
    }

    private static Path writePasswords(Path workDir, Map<String, String> users) throws IOException {
        Path file = workDir.resolve("passwords");
        Files.deleteIfExists(file);
        Files.createFile(file);
        for (Map.Entry<String, String> user : users.entrySet()) {
            run("mosquitto_passwd", "-b", file.toString(), user.getKey(), user.getValue());
        }
        return file;
    }

    private static Path writeAcl(Path workDir) throws IOException {
        Path file = workDir.resolve("acl");
        Files.write(file, List.of(
                "user central",
                "topic readwrite medida/v1/#",
                "",
                "pattern readwrite medida/v1/gw/%u/#"));
        return file;
    }

    private static void run(String... command) throws IOException {
        Process tool = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(tool.getInputStream().readAllBytes());
            if (tool.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted: " + command[0]));
        }
    }
}

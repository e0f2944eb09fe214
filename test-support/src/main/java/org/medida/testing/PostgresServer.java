package org.medida.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests and benchmarks: Debian's server binaries ({@code initdb}, {@code postgres} of
 * the newest {@code /usr/lib/postgresql/<version>}) on a fresh data directory, listening on a loopback port of its
 * own (never the machine's 5432) and no Unix socket, trusting local TCP connections of the user {@code postgres}.
 * Stopped by PID: SIGINT (PostgreSQL's fast shutdown: clients disconnected, a clean checkpoint; SIGTERM would wait
 * for every client to leave), SIGKILL if it does not exit in time; the data directory goes with it.
 * <p>
 * PostgreSQL refuses to run as root: as root the binaries run as the system user {@code postgres} (through
 * {@code setpriv}, which execs, so the PID is the server's), on a data directory under the system's temporary
 * directory that user owns. The server's log is {@code postgres.log} in the work directory.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Path INSTALLATIONS = Paths.get("/usr/lib/postgresql");
    private static final String SUPERUSER = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Path dataDir;
    private final Path log;
    private final int port;
    private final List<String> command;
    private final boolean root;
    private volatile Process process;

    private PostgresServer(Path dataDir, Path log, int port, List<String> command, boolean root) {
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
        this.command = command;
        this.root = root;
    }

    /**
     * Initialises a fresh cluster and starts its server; {@code settings} are extra server settings as
     * {@code name=value} (e.g. {@code fsync=off} for tests that do not measure durability).
     */
    public static PostgresServer start(Path workDir, String... settings) throws IOException {
        Path bin = binaries();
        Files.createDirectories(workDir);
        Path log = workDir.resolve("postgres.log");
        boolean root = "root".equals(System.getProperty("user.name"));
        // As root the data directory must belong to the postgres user and be reachable by it: a test's work
        // directory (mode 700, root's) is not.
        Path dataDir = root ? Files.createTempDirectory("medida-postgres-") : workDir.resolve("data");
        if (root) {
            run(workDir, "chown", List.of("chown", SUPERUSER + ":" + SUPERUSER, dataDir.toString()));
        }
        run(workDir, "initdb", asServerUser(root, List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(),
                "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")));
        int port = FreePorts.next();
        List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", dataDir.toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "max_connections=200"));
        for (String setting : settings) {
            command.add("-c");
            command.add(setting);
        }
        PostgresServer server = new PostgresServer(dataDir, log, port, List.copyOf(command), root);
        server.launch();
        return server;
    }

    /**
     * Stops the server if it runs, keeping its data, and starts it again on the same port: every client connection
     * is cut, as by a restart of a production server.
     */
    public void restart() throws IOException {
        stop();
        launch();
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(asServerUser(root, command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        awaitReady();
    }

    /** The TCP port the server listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** The server's log file, for a failure report. */
    public Path log() {
        return log;
    }

    /** The JDBC URL of database {@code name} on this server, as the superuser (no password: trusted). */
    public String url(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=" + SUPERUSER;
    }

    /** Creates an empty database {@code name} (lower case letters, digits, underscores) and gives its JDBC URL. */
    public String createDatabase(String name) throws SQLException {
        return createDatabase(name, "template1");
    }

    /**
     * Creates database {@code name} as a copy of database {@code template} (which nobody may be connected to) and
     * gives its JDBC URL: a template with a schema saves migrating every test's database.
     */
    public String createDatabase(String name, String template) throws SQLException {
        checkName(name);
        checkName(template);
        try (Connection connection = DriverManager.getConnection(url("postgres"));
                Statement statement = connection.createStatement()) {
            // Copying the files (PostgreSQL 15+) is several times faster than copying a small template through WAL.
            boolean fileCopy = connection.getMetaData().getDatabaseMajorVersion() >= 15;
            statement.execute("CREATE DATABASE " + name + " TEMPLATE " + template
                    + (fileCopy ? " STRATEGY FILE_COPY" : ""));
        }
        return url(name);
    }

    private static void checkName(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name '" + name + "': lower case letters, digits and _, "
                    + "at most 63, not starting with a digit");
        }
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the server; then the data goes. */
    @Override
    public void close() {
        stop();
        deleteTree(dataDir);
    }

    /**
     * Stops the server, keeping its data ({@link #restart} starts it again): SIGINT to its PID (a fast shutdown),
     * SIGKILL if it is still there after a while.
     */
    public void stop() {
        if (process.isAlive()) {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** The newest PostgreSQL installation's bin directory. */
    private static Path binaries() throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(INSTALLATIONS)) {
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(INSTALLATIONS)) {
                for (Path version : versions) {
                    if (Files.isExecutable(version.resolve("bin/postgres"))
                            && Files.isExecutable(version.resolve("bin/initdb"))) {
                        found.add(version.resolve("bin"));
                    }
                }
            }
        }
        return found.stream().max(Comparator.comparingInt(PostgresServer::majorVersion))
                .orElseThrow(() -> new IOException("no PostgreSQL server in " + INSTALLATIONS
                        + "/*/bin (Debian: apt-get install postgresql)"));
    }

    private static int majorVersion(Path bin) {
        String name = bin.getParent().getFileName().toString();
        return name.matches("\\d+") ? Integer.parseInt(name) : 0;
    }

    private static List<String> asServerUser(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + SUPERUSER, "--regid=" + SUPERUSER,
                "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private void awaitReady() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            try (Connection connection = DriverManager.getConnection(url("postgres"))) {
                return;
            } catch (SQLException notYet) {
                if (!process.isAlive()) {
                    deleteTree(dataDir);
                    throw new IOException("postgres exited with " + process.exitValue() + " at start, see " + log);
                }
                if (Instant.now().isAfter(deadline)) {
                    close();
                    throw new IOException("postgres did not accept connections on port " + port + " within "
                            + START_TIMEOUT + ", see " + log);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IOException("interrupted while waiting for postgres", e);
            }
        }
    }

    /** Runs a tool to its end, its output in {@code <name>.out} of the work directory; fails if it fails. */
    private static void run(Path workDir, String name, List<String> command) throws IOException {
        Path output = workDir.resolve(name + ".out");
        Process tool = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(output.toFile())).start();
        try {
            if (tool.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + Files.readString(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tool.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A data directory left behind in a temporary directory is harmless; the test's result is what counts.
        }
    }
}

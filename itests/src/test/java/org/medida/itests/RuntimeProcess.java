package org.medida.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.medida.testing.FreePorts;

/**
 * The edge runtime of the simulator hardware profile as a child process, started the way an operator starts it:
 * {@code bin/medida-edge --data DIR --conf DIR --shell-port PORT} from the assembled installation. Gogo commands
 * reach it over its loopback shell port, one connection per command.
 */
final class RuntimeProcess implements AutoCloseable {

    /** System property (set by the POM): the installation in {@code hardware-profiles/simulator/target/medida-edge}. */
    static final String HOME_PROPERTY = "medida.edge.home";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int SHELL_TIMEOUT_MILLIS = 120_000;
    private static final String PROMPT = "g! ";
    /** A row of Gogo's {@code lb -s}: {@code "   12|Active     |    3|symbolic.name (version)|version"}. */
    private static final Pattern BUNDLE_ROW = Pattern.compile("^\\s*(\\d+)\\|(\\w+)\\s*\\|\\s*(\\d+)\\|(.*)$");

    private final ProcessChild child;
    private final int shellPort;

    private RuntimeProcess(ProcessChild child, int shellPort) {
        this.child = child;
        this.shellPort = shellPort;
    }

    static Path installation() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || !Files.isExecutable(Path.of(home, "bin", "medida-edge"))) {
            throw new IllegalStateException(HOME_PROPERTY + " = " + home
                    + " is not an assembled edge runtime: build hardware-profiles/simulator first");
        }
        return Path.of(home);
    }

    /**
     * Starts the runtime on its own data and configuration directories and returns once its shell answers and every
     * installed bundle is active.
     */
    static RuntimeProcess start(String name, Path data, Path conf, Path log) throws IOException, InterruptedException {
        int shellPort = FreePorts.next();
        Path home = installation();
        ProcessChild child = ProcessChild.start(name, List.of("bash", home.resolve("bin/medida-edge").toString(),
                "--data", data.toString(), "--conf", conf.toString(), "--shell-port", Integer.toString(shellPort)),
                data.getParent(), log);
        RuntimeProcess runtime = new RuntimeProcess(child, shellPort);
        int expectedBundles = installedBundles(home) + 1;
        child.awaitReady("started with every bundle active", START_TIMEOUT, () -> {
            List<BundleRow> bundles = runtime.bundlesIfAnswering();
            return bundles.size() == expectedBundles && bundles.stream().allMatch(b -> "Active".equals(b.state()));
        });
        return runtime;
    }

    /** One row of {@code lb -s}. */
    record BundleRow(long id, String state, int startLevel, String symbolicName) {
    }

    /** The framework's bundles as {@code lb -s} lists them. */
    List<BundleRow> bundles() throws IOException {
        return shell("lb -s").lines().map(BUNDLE_ROW::matcher).filter(Matcher::matches)
                .map(m -> new BundleRow(Long.parseLong(m.group(1)), m.group(2), Integer.parseInt(m.group(3)),
                        m.group(4).replaceFirst(" \\(.*", "").trim()))
                .toList();
    }

    private List<BundleRow> bundlesIfAnswering() {
        try {
            return bundles();
        } catch (IOException notYet) {
            return List.of();
        }
    }

    /**
     * Runs one Gogo command in a new shell session and returns what it printed (without the prompt). Sessions are
     * independent, so tests may ask from several threads.
     */
    String shell(String command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", shellPort), 2_000);
            socket.setSoTimeout(SHELL_TIMEOUT_MILLIS);
            InputStream in = socket.getInputStream();
            readToPrompt(in);
            socket.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return readToPrompt(in).replace("\r", "");
        }
    }

    private static String readToPrompt(InputStream in) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!text.toString(StandardCharsets.UTF_8).endsWith(PROMPT)) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("the shell closed the session: " + text.toString(StandardCharsets.UTF_8));
            }
            text.write(buffer, 0, n);
        }
        String all = text.toString(StandardCharsets.UTF_8);
        return all.substring(0, all.length() - PROMPT.length());
    }

    ProcessChild process() {
        return child;
    }

    /** SIGTERM (the framework stops its bundles), SIGKILL only if it hangs; returns whether SIGTERM was enough. */
    boolean terminate() throws InterruptedException {
        return child.terminate();
    }

    /** SIGKILL: the gateway loses power. */
    void kill() throws InterruptedException {
        child.kill();
    }

    @Override
    public void close() throws InterruptedException {
        terminate();
    }

    private static int installedBundles(Path home) throws IOException {
        try (Stream<Path> jars = Files.list(home.resolve("bundle"))) {
            return (int) jars.filter(p -> p.toString().endsWith(".jar")).count();
        }
    }

    @Override
    public String toString() {
        return "edge runtime " + child;
    }
}

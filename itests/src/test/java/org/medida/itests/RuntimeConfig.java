package org.medida.itests;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A configuration directory for one test's edge runtime: the installation's {@code conf/load/*.cfg} files (one per
 * PID) with the properties a test sets on top, written to {@code DIR/load}, which {@code medida-edge --conf DIR}
 * reads. Values may keep {@code ${medida.data}} and {@code ${medida.conf}}: FileInstall resolves them in the runtime.
 */
final class RuntimeConfig {

    private static final String SUFFIX = ".cfg";

    private final Map<String, Properties> byPid = new TreeMap<>();

    private RuntimeConfig() {
    }

    /** The configuration the simulator hardware profile ships. */
    static RuntimeConfig ofInstallation() throws IOException {
        RuntimeConfig config = new RuntimeConfig();
        try (Stream<Path> files = Files.list(RuntimeProcess.installation().resolve("conf/load"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                Properties properties = new Properties();
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(in);
                }
                String name = file.getFileName().toString();
                config.byPid.put(name.substring(0, name.length() - SUFFIX.length()), properties);
            }
        }
        return config;
    }

    /** Sets one property of a PID's configuration (creating the configuration if the profile has none). */
    RuntimeConfig set(String pid, String key, Object value) {
        byPid.computeIfAbsent(pid, p -> new Properties()).setProperty(key, String.valueOf(value));
        return this;
    }

    String get(String pid, String key) {
        Properties properties = byPid.get(pid);
        return properties == null ? null : properties.getProperty(key);
    }

    /** Writes {@code dir/load/<pid>.cfg} for every configuration and returns {@code dir}. */
    Path writeTo(Path dir) throws IOException {
        Path load = Files.createDirectories(dir.resolve("load"));
        for (Map.Entry<String, Properties> pid : byPid.entrySet()) {
            Path file = load.resolve(pid.getKey() + SUFFIX);
            Path temporary = Files.createTempFile(load, pid.getKey(), ".tmp");
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                pid.getValue().store(out, "written by the test");
            }
            // one step, so that FileInstall never reads half a file
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }
}

package org.medida.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where the process tests keep their files: {@code itests/target/<name>}, emptied at the start of a run. */
final class EndToEndFiles {

    private EndToEndFiles() {
    }

    /** {@code target/<name>}, empty. */
    static Path cleanDirectory(String name) throws IOException {
        Path dir = Path.of(required("medida.itest.target")).resolve(name).toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    static Path simulatorJar() {
        return Path.of(required("medida.simulator.jar"));
    }

    static Path centralJar() {
        return Path.of(required("medida.central.jar"));
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException(property + " is not set: run the tests through Maven");
        }
        return value;
    }
}

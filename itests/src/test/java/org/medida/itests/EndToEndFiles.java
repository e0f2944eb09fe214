package org.medida.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

    /** The gateway's meters file: the first file whole, the meter lines of the others; replaced in one step. */
    static void writeMetersFile(Path file, Path first, Path... more) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(first, StandardCharsets.UTF_8));
        for (Path other : more) {
            Files.readAllLines(other, StandardCharsets.UTF_8).stream().skip(2).forEach(lines::add);
        }
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), "meters", ".tmp");
        Files.write(temporary, lines, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

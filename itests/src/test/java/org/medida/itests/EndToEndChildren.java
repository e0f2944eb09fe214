package org.medida.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The child processes (and clients) of an end-to-end test, closed in reverse order of start, and their logs, whose
 * tails are printed when the test fails.
 */
final class EndToEndChildren {

    private final String name;
    private final List<AutoCloseable> children = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    EndToEndChildren(String name) {
        this.name = name;
    }

    <T extends AutoCloseable> T add(T child) {
        children.add(child);
        return child;
    }

    void log(Path log) {
        logs.add(log);
    }

    void print(String text) {
        System.out.println("[" + name + " " + Instant.now() + "] " + text);
    }

    void printLogTails() {
        for (Path log : logs) {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                print("---- " + log + " (last 40 lines)\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            } catch (IOException e) {
                print("---- " + log + ": " + e);
            }
        }
    }

    /** Closes every child, the last started first. */
    void closeAll() throws Exception {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
        children.clear();
    }
}

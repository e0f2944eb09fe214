package org.medida.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The child processes of a process test and their logs: stopped by PID, the edge runtime first (so that it does
 * not log a dead broker), then the others in reverse order of start; the logs' last lines printed when the test
 * fails.
 */
final class EndToEndChildren {

    private static final int TAIL_LINES = 40;

    private final String tag;
    private final List<AutoCloseable> children = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    EndToEndChildren(String tag) {
        this.tag = tag;
    }

    /** Keeps {@code child} to stop at the end; returns it. */
    <T extends AutoCloseable> T add(T child) {
        children.add(child);
        return child;
    }

    /** A log to show when the test fails. */
    void log(Path log) {
        logs.add(log);
    }

    void print(String text) {
        System.out.println("[" + tag + " " + Instant.now() + "] " + text);
    }

    void printLogTails() {
        for (Path log : logs) {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                print("---- " + log + " (last " + TAIL_LINES + " lines)\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())));
            } catch (IOException e) {
                print("---- " + log + ": " + e);
            }
        }
    }

    /** Stops {@code edge} (null: none started) and then every child. */
    void stop(RuntimeProcess edge) throws Exception {
        if (edge != null) {
            edge.terminate();
        }
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
    }
}

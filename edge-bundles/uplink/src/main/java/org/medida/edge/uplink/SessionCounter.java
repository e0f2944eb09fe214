package org.medida.edge.uplink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The gateway's session number (Sparkplug's bdSeq): one more for every connection, kept in a file so that it also
 * grows across restarts. Central ignores a status whose session is older than the last it saw, so a last will that
 * the broker delivers late cannot mark a reconnected gateway offline.
 */
final class SessionCounter {

    private final Path file;

    SessionCounter(Path stateDirectory) {
        this.file = stateDirectory.resolve("uplink-session");
    }

    /** The number for the next connection, on disk before it is used. */
    long next() {
        try {
            long next = current() + 1;
            write(next);
            return next;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the uplink session number in " + file, e);
        }
    }

    private long current() throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException("not a session number: '" + text + "'", e);
        }
    }

    /** Replaces the file in one step after the new content is on disk: a crash leaves the old or the new number. */
    private void write(long value) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, Long.toString(value), StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

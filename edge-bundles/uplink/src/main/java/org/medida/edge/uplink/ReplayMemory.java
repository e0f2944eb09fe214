package org.medida.edge.uplink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The signed command requests this gateway has accepted (X2), by correlation id and by nonce, each until the time
 * after which the request would be refused anyway (expired or outside the issue window). Kept in a small file in
 * the uplink's state directory, appended and forced to disk before a command runs, so a request replayed after a
 * restart is still recognised. The file is compacted when it is opened.
 */
final class ReplayMemory {

    static final String FILE = "command-replay";

    private final Path file;
    /** Correlation id or nonce (prefixed "c " / "n ") → remembered until, epoch ms. */
    private final Map<String, Long> seen = new HashMap<>();

    ReplayMemory(Path stateDirectory, Instant now) {
        this.file = stateDirectory.resolve(FILE);
        try {
            Files.createDirectories(stateDirectory);
            compact(Files.exists(file) ? load(now) : List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the replay memory in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Remembers a request until {@code until}; false, remembering nothing, if its correlation id or nonce was seen.
     *
     * @throws UncheckedIOException if it cannot be written durably (the command must not run then)
     */
    synchronized boolean remember(String correlationId, String nonce, Instant until) {
        String byId = "c " + correlationId;
        String byNonce = "n " + nonce;
        if (seen.containsKey(byId) || seen.containsKey(byNonce)) {
            return false;
        }
        long untilMillis = until.toEpochMilli();
        String line = untilMillis + "\t" + correlationId + "\t" + nonce + "\n";
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record command " + correlationId + " in " + file, e);
        }
        seen.put(byId, untilMillis);
        seen.put(byNonce, untilMillis);
        return true;
    }

    /** Reads the entries not yet past their time; returns their lines. */
    private List<String> load(Instant now) throws IOException {
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] fields = line.split("\t", -1);
            if (fields.length != 3 || !fields[0].matches("\\d{1,18}")) {
                continue; // a line torn by a crash while appending: its command never ran
            }
            long until = Long.parseLong(fields[0]);
            if (until > now.toEpochMilli()) {
                seen.put("c " + fields[1], until);
                seen.put("n " + fields[2], until);
                kept.add(line);
            }
        }
        return kept;
    }

    /** Rewrites the file with {@code lines}, replacing it atomically. */
    private void compact(List<String> lines) throws IOException {
        Path next = file.resolveSibling(FILE + ".new");
        try (FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (String line : lines) {
                channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            }
            channel.force(true);
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

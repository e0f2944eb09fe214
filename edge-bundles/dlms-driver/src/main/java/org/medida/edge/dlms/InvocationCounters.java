package org.medida.edge.dlms;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The HLS5 client invocation counter of every meter, kept in one file per meter. A meter rejects a counter it has
 * already seen, so a counter must never be used twice, not even after a crash: before a conversation the file is
 * advanced by a whole block ({@link #BLOCK}) and the conversation uses counters from inside the block only, extending
 * it when it runs out. When the conversation ends, the file is set back to the first counter it did not use.
 */
final class InvocationCounters {

    /** Counters reserved at a time: a conversation rarely sends more ciphered APDUs. */
    static final long BLOCK = 256;

    private final Path directory;
    /** One conversation per meter at a time uses its counters. */
    private final Map<String, Semaphore> inUse = new ConcurrentHashMap<>();

    InvocationCounters(Path directory) {
        this.directory = directory;
    }

    /** Waits until no other conversation uses this meter's counters, then reserves a block for this one. */
    Reservation reserve(String serial) throws IOException {
        Semaphore lock = inUse.computeIfAbsent(serial, s -> new Semaphore(1));
        lock.acquireUninterruptibly();
        try {
            Path file = fileOf(serial);
            long next = read(file);
            write(file, next + BLOCK);
            return new Reservation(file, next, next + BLOCK, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            throw e;
        }
    }

    /** The counter the next conversation with this meter will start from. */
    long next(String serial) throws IOException {
        return read(fileOf(serial));
    }

    private Path fileOf(String serial) {
        return directory.resolve(serial.replaceAll("[^A-Za-z0-9._-]", "_") + ".invocation-counter");
    }

    private static long read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 1;
        }
        return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
    }

    /** Replaces the file in one step, after the new content is on disk, so a crash leaves the old or the new value. */
    private static void write(Path file, long value) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(Long.toString(value).getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The counters one conversation may use: from {@link #first()} up to, not including, the reserved limit. */
    static final class Reservation implements AutoCloseable {

        private final Path file;
        private final long first;
        private final Semaphore lock;
        private long limit;
        private long sent;
        private boolean closed;

        private Reservation(Path file, long first, long limit, Semaphore lock) {
            this.file = file;
            this.first = first;
            this.limit = limit;
            this.lock = lock;
        }

        long first() {
            return first;
        }

        /**
         * Counts a message the client sent (each ciphered APDU uses one counter; counting every message errs on the
         * safe side) and moves the limit on before the next message could need a counter beyond it.
         */
        synchronized void messageSent() throws IOException {
            sent++;
            if (first + sent >= limit) {
                limit = first + sent + BLOCK;
                write(file, limit);
            }
        }

        /** Gives back the unused part of the block. */
        @Override
        public synchronized void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                write(file, first + sent);
            } finally {
                lock.release();
            }
        }
    }
}

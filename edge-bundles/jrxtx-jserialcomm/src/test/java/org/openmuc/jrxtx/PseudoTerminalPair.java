package org.openmuc.jrxtx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Two connected pseudo-terminals made by socat: what one end writes, the other reads. */
final class PseudoTerminalPair implements AutoCloseable {

    private final Process socat;
    final Path portEnd;
    final Path peerEnd;

    PseudoTerminalPair(Path directory) throws IOException, InterruptedException {
        portEnd = directory.resolve("port");
        peerEnd = directory.resolve("peer");
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + portEnd, "pty,raw,echo=0,link=" + peerEnd)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(portEnd) && Files.exists(peerEnd))) {
            if (System.nanoTime() > deadline || !socat.isAlive()) {
                close();
                throw new IOException("socat did not create the pseudo-terminals");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        socat.waitFor(5, TimeUnit.SECONDS);
    }
}

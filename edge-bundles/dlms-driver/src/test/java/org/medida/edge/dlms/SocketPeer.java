package org.medida.edge.dlms;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP peer on loopback that is not a meter: it treats every connection the same way, notes when each one came
 * and counts those the driver hung up.
 */
final class SocketPeer implements AutoCloseable {

    interface Behaviour {
        void serve(Socket connection) throws IOException;
    }

    /** Takes the connection and reads whatever comes, never answering. */
    static final Behaviour SILENT = connection -> connection.getInputStream()
            .transferTo(OutputStream.nullOutputStream());

    private final ServerSocket server;
    private final List<Long> acceptedNanos = new CopyOnWriteArrayList<>();
    private final AtomicInteger hungUp = new AtomicInteger();

    private SocketPeer(ServerSocket server) {
        this.server = server;
    }

    static SocketPeer start(Behaviour behaviour) throws IOException {
        SocketPeer peer = new SocketPeer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        daemon(() -> peer.acceptAll(behaviour));
        return peer;
    }

    private void acceptAll(Behaviour behaviour) {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                acceptedNanos.add(System.nanoTime());
                daemon(() -> {
                    try (connection) {
                        behaviour.serve(connection);
                    } catch (IOException e) {
                        // the driver hung up while the peer was writing
                    }
                    hungUp.incrementAndGet();
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void daemon(Runnable work) {
        Thread thread = new Thread(work, "socket-peer");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return acceptedNanos.size();
    }

    /** When the given connection (0 = first) was accepted, on the {@link System#nanoTime()} clock. */
    long acceptedAt(int connection) {
        return acceptedNanos.get(connection);
    }

    int connectionsEnded() {
        return hungUp.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

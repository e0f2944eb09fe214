package org.medida.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of a server that counts every byte it forwards each way: what a gateway's WAN
 * link would carry (TCP/IP headers aside). Threads are daemons; {@link #close()} stops accepting.
 */
final class ByteCountingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();

    ByteCountingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "proxy-accept").start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes the client sent to the server. */
    long sent() {
        return sent.get();
    }

    /** Bytes the server sent to the client. */
    long received() {
        return received.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                daemon(() -> pump(client, target, sent), "proxy-up").start();
                daemon(() -> pump(target, client, received), "proxy-down").start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to, AtomicLong counter) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
                counter.addAndGet(n);
            }
        } catch (IOException e) {
            // one side closed: the other pump ends when its socket closes below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

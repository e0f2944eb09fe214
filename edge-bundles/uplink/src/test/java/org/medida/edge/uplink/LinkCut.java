package org.medida.edge.uplink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder between the uplink and the broker that can cut the WAN link: {@link #cut()} drops every
 * connection and refuses new ones until {@link #restore()}, while the broker and central stay up.
 */
final class LinkCut implements AutoCloseable {

    private final ServerSocket server;
    private final int brokerPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    LinkCut(int brokerPort) throws IOException {
        this.brokerPort = brokerPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "link-cut-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    void cut() {
        down = true;
        open.forEach(LinkCut::closeQuietly);
        open.clear();
    }

    void restore() {
        down = false;
    }

    @Override
    public void close() {
        cut();
        closeQuietly(server);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (down) {
                    closeQuietly(client);
                    continue;
                }
                Socket broker = new Socket();
                broker.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), brokerPort), 5000);
                open.add(client);
                open.add(broker);
                pump(client, broker);
                pump(broker, client);
            } catch (IOException e) {
                // the server closed, or the broker refused: the uplink sees a dropped connection either way
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "link-cut-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}

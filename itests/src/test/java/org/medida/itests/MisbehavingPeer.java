package org.medida.itests;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP peer on loopback that answers whatever it receives with the same fixed bytes: a stand-in for a broken meter
 * or a modem that speaks something else.
 */
final class MisbehavingPeer implements AutoCloseable {

    private final ServerSocket server;
    private final Thread acceptor;

    private MisbehavingPeer(ServerSocket server, byte[] answer) {
        this.server = server;
        this.acceptor = new Thread(() -> serve(answer), "misbehaving-peer-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static MisbehavingPeer answering(byte[] answer) throws IOException {
        return new MisbehavingPeer(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()), answer);
    }

    /** A peer that takes every request and never answers. */
    static MisbehavingPeer silent() throws IOException {
        return answering(new byte[0]);
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(byte[] answer) {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                InputStream in = client.getInputStream();
                byte[] request = new byte[1024];
                while (in.read(request) > 0) {
                    if (answer.length > 0) {
                        client.getOutputStream().write(answer);
                        client.getOutputStream().flush();
                    }
                }
            } catch (IOException closedOrDropped) {
                // the next client, or the end of the test
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        acceptor.join(5_000);
    }
}

package org.medida.edge.dlms;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback relay between the driver and a wrapper meter that counts the client's requests (one wrapper frame
 * each: version, source and destination port, length, APDU) and can stop passing them on, so the meter falls silent.
 */
final class WrapperProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int meterPort;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicBoolean silent = new AtomicBoolean();

    private WrapperProxy(ServerSocket server, int meterPort) {
        this.server = server;
        this.meterPort = meterPort;
    }

    static WrapperProxy to(int meterPort) throws IOException {
        WrapperProxy proxy = new WrapperProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), meterPort);
        daemon(proxy::acceptAll);
        return proxy;
    }

    int port() {
        return server.getLocalPort();
    }

    /** Requests relayed so far. */
    int requests() {
        return requests.get();
    }

    /** From now on requests are swallowed (true) or relayed again (false). */
    void silence(boolean swallow) {
        silent.set(swallow);
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket meter = new Socket(InetAddress.getLoopbackAddress(), meterPort);
                daemon(() -> relayRequests(client, meter));
                daemon(() -> copy(meter, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relayRequests(Socket client, Socket meter) {
        try (client; meter) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = meter.getOutputStream();
            byte[] header = new byte[8];
            while (true) {
                in.readFully(header);
                byte[] apdu = new byte[((header[6] & 0xFF) << 8) | (header[7] & 0xFF)];
                in.readFully(apdu);
                if (!silent.get()) {
                    requests.incrementAndGet();
                    out.write(header);
                    out.write(apdu);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // either side hung up
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream()) {
            in.transferTo(to.getOutputStream());
        } catch (IOException e) {
            // either side hung up
        }
    }

    private static void daemon(Runnable work) {
        Thread thread = new Thread(work, "wrapper-proxy");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

package org.medida.edge.dlms;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.openmuc.jdlms.transportlayer.client.TransportLayer;

/**
 * A TCP transport for jDLMS's session layers that gives up connecting after a timeout. jDLMS's own transport connects
 * without one, so a host that never answers would hold its channel for the operating system's connect timeout, about
 * two minutes on Linux.
 */
final class TcpTransport implements TransportLayer {

    private final InetSocketAddress meter;
    private final Duration connectTimeout;
    private Socket socket;
    private DataInputStream in;
    private DataOutputStream out;

    TcpTransport(InetSocketAddress meter, Duration connectTimeout) {
        this.meter = meter;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Connects within the timeout. A connection that is not accepted in time is reported as refused, so that the
     * meter counts as unreachable, not as a meter that failed to answer a request.
     */
    static Socket connect(InetSocketAddress meter, Duration connectTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(meter, Math.toIntExact(connectTimeout.toMillis()));
            return socket;
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new ConnectException("no TCP connection to " + meter + " within " + connectTimeout.toMillis()
                    + " ms");
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public void open() throws IOException {
        if (socket != null) {
            throw new IOException("the transport to " + meter + " has been opened before");
        }
        socket = connect(meter, connectTimeout);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    @Override
    public boolean isClosed() {
        return socket == null || socket.isClosed();
    }

    @Override
    public void setTimeout(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
    }

    @Override
    public DataInputStream getInputStream() {
        return in;
    }

    @Override
    public DataOutputStream getOutpuStream() {
        return out;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}

package org.medida.simulator.link;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.openmuc.jdlms.sessionlayer.server.ServerHdlcSessionLayer;
import org.openmuc.jdlms.sessionlayer.server.ServerSessionLayer;
import org.openmuc.jdlms.sessionlayer.server.ServerSessionLayerFactory;
import org.openmuc.jdlms.sessionlayer.server.ServerWrapperLayer;
import org.openmuc.jdlms.settings.server.ServerSettings;
import org.openmuc.jdlms.transportlayer.StreamAccessor;

/** Builds, per accepted connection, jDLMS's wrapper or HDLC session layer wrapped in a {@link MeterSessionLayer}. */
public final class MeterSessionLayerFactory implements ServerSessionLayerFactory {

    private final boolean hdlc;
    private final PortGroup port;

    public MeterSessionLayerFactory(boolean hdlc, PortGroup port) {
        this.hdlc = hdlc;
        this.port = port;
    }

    @Override
    public ServerSessionLayer newSesssionLayer(StreamAccessor stream, ServerSettings settings) {
        ServerSessionLayer inner = hdlc
                ? new ServerHdlcSessionLayer(new SnrmNormalizingAccessor(stream), settings)
                : new ServerWrapperLayer(stream, settings);
        return new MeterSessionLayer(inner, stream, port);
    }

    /** The connection's streams with empty SNRM frames re-encoded on the way in. */
    private static final class SnrmNormalizingAccessor implements StreamAccessor {
        private final StreamAccessor stream;
        private DataInputStream in;

        SnrmNormalizingAccessor(StreamAccessor stream) {
            this.stream = stream;
        }

        @Override
        public void setTimeout(int timeout) throws IOException {
            stream.setTimeout(timeout);
        }

        @Override
        public synchronized DataInputStream getInputStream() throws IOException {
            if (in == null) {
                in = new DataInputStream(new SnrmNormalizingInputStream(stream.getInputStream()));
            }
            return in;
        }

        @Override
        public DataOutputStream getOutpuStream() throws IOException {
            return stream.getOutpuStream();
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}

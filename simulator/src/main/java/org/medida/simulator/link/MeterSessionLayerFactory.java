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
    private final CallingClient callingClient;

    public MeterSessionLayerFactory(boolean hdlc, PortGroup port, CallingClient callingClient) {
        this.hdlc = hdlc;
        this.port = port;
        this.callingClient = callingClient;
    }

    @Override
    public ServerSessionLayer newSesssionLayer(StreamAccessor stream, ServerSettings settings) {
        ServerSessionLayer inner = hdlc ? hdlcLayer(stream, settings) : new ServerWrapperLayer(stream, settings);
        return new MeterSessionLayer(inner, stream, port, callingClient);
    }

    private static ServerSessionLayer hdlcLayer(StreamAccessor stream, ServerSettings settings) {
        HdlcRepair repair = new HdlcRepair();
        RepairingAccessor repaired = new RepairingAccessor(stream, repair);
        return new HdlcSegmentingLayer(new ServerHdlcSessionLayer(repaired, settings), repaired, repair);
    }

    /** The connection's streams with HDLC frames mended both ways (see {@link HdlcRepair}). */
    private static final class RepairingAccessor implements StreamAccessor {
        private final StreamAccessor stream;
        private final HdlcRepair repair;
        private DataInputStream in;
        private DataOutputStream out;

        RepairingAccessor(StreamAccessor stream, HdlcRepair repair) {
            this.stream = stream;
            this.repair = repair;
        }

        @Override
        public void setTimeout(int timeout) throws IOException {
            stream.setTimeout(timeout);
        }

        @Override
        public synchronized DataInputStream getInputStream() throws IOException {
            if (in == null) {
                in = new DataInputStream(new HdlcFrameInputStream(stream.getInputStream(), repair::inbound));
            }
            return in;
        }

        @Override
        public synchronized DataOutputStream getOutpuStream() throws IOException {
            if (out == null) {
                out = new DataOutputStream(new HdlcFrameOutputStream(stream.getOutpuStream(), repair::outbound));
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}

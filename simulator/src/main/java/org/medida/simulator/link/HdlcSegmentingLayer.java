package org.medida.simulator.link;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.openmuc.jdlms.sessionlayer.server.ServerSessionLayer;
import org.openmuc.jdlms.transportlayer.StreamAccessor;

/**
 * jDLMS's HDLC server layer, except that APDUs too long for one I-frame are segmented here: jDLMS's own
 * segmentation throws for APDUs shorter than two segments, killing the association. Frames are written with
 * placeholder sequence numbers and checksums, which {@link HdlcRepair} sets on the way out; after every
 * non-final segment the client's RR is awaited, as IEC 62056-46 requires with window size 1.
 */
final class HdlcSegmentingLayer implements ServerSessionLayer {

    /** jDLMS sends in one frame only while APDU + this much fits the information field. */
    private static final int JDLMS_FRAME_OVERHEAD = 18;
    private static final byte[] LLC_RESPONSE = {(byte) 0xE6, (byte) 0xE7, 0x00};
    private static final int I_FRAME_POLL = 0x10;
    private static final int SEGMENTED = 0x08;
    private static final int RR_MASK = 0x0F;
    private static final int RR = 0x01;

    private final ServerSessionLayer inner;
    private final StreamAccessor stream;
    private final HdlcRepair repair;

    HdlcSegmentingLayer(ServerSessionLayer inner, StreamAccessor stream, HdlcRepair repair) {
        this.inner = inner;
        this.stream = stream;
        this.repair = repair;
    }

    @Override
    public void send(byte[] apdu) throws IOException {
        int maxInfo = repair.maxInformationLength();
        if (apdu.length + JDLMS_FRAME_OVERHEAD < maxInfo) {
            inner.send(apdu);
            return;
        }
        byte[] data = new byte[LLC_RESPONSE.length + apdu.length];
        System.arraycopy(LLC_RESPONSE, 0, data, 0, LLC_RESPONSE.length);
        System.arraycopy(apdu, 0, data, LLC_RESPONSE.length, apdu.length);
        for (int offset = 0; offset < data.length; offset += maxInfo) {
            int length = Math.min(maxInfo, data.length - offset);
            boolean last = offset + length == data.length;
            writeFrame(data, offset, length, last);
            if (!last) {
                awaitReceiveReady();
            }
        }
    }

    private void writeFrame(byte[] data, int offset, int length, boolean last) throws IOException {
        byte[] addresses = repair.addresses();
        int frameLength = 2 + addresses.length + 1 + 2 + length + 2;
        byte[] frame = new byte[frameLength + 2];
        frame[0] = (byte) HdlcFrames.FLAG;
        frame[1] = (byte) (HdlcFrames.FORMAT_TYPE_3 | (last ? 0 : SEGMENTED) | frameLength >> 8 & 0x07);
        frame[2] = (byte) frameLength;
        System.arraycopy(addresses, 0, frame, 3, addresses.length);
        frame[3 + addresses.length] = I_FRAME_POLL;
        System.arraycopy(data, offset, frame, 3 + addresses.length + 3, length);
        frame[frame.length - 1] = (byte) HdlcFrames.FLAG;
        OutputStream out = stream.getOutpuStream();
        out.write(frame);
        out.flush();
    }

    private void awaitReceiveReady() throws IOException {
        DataInputStream in = stream.getInputStream();
        while (true) {
            int b = in.readUnsignedByte();
            if (b != HdlcFrames.FLAG) {
                continue;
            }
            int format = in.readUnsignedByte();
            if ((format & 0xF0) != HdlcFrames.FORMAT_TYPE_3) {
                continue;
            }
            byte[] frame = new byte[(format & 0x07) << 8 | in.readUnsignedByte()];
            in.readFully(frame, 2, frame.length - 2);
            in.readUnsignedByte();
            int control = HdlcFrames.controlIndex(frame);
            if (control > 0 && (frame[control] & RR_MASK) == RR) {
                return;
            }
        }
    }

    @Override
    public void initialize() throws IOException {
        inner.initialize();
    }

    @Override
    public byte[] readNextMessage() throws IOException {
        return inner.readNextMessage();
    }

    @Override
    public int getClientId() {
        return inner.getClientId();
    }

    @Override
    public int getLogicalDeviceId() {
        return inner.getLogicalDeviceId();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}

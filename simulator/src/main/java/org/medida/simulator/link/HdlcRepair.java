package org.medida.simulator.link;

import org.openmuc.jdlms.sessionlayer.hdlc.HdlcParameters;

/**
 * Two defects of jDLMS's HDLC server that strict clients trip over, mended on the wire so jDLMS stays unpatched:
 * <ul>
 * <li>it cannot decode an SNRM without information field (standard: defaults apply), so such an SNRM is re-encoded
 * with the default parameters spelled out;</li>
 * <li>its I-frames and RR frames always carry N(R) = 0 instead of acknowledging the client's frames, so N(R) is set
 * to the receive state variable: the client's last N(S) + 1.</li>
 * </ul>
 * One instance per connection.
 */
final class HdlcRepair {

    private static final int SNRM = 0x93;
    private static final int RR_MASK = 0x0F;
    private static final int RR = 0x01;

    private int receiveState;

    synchronized byte[] inbound(byte[] frame) {
        int control = HdlcFrames.controlIndex(frame);
        if (control < 0) {
            return frame;
        }
        int c = frame[control] & 0xFF;
        if (c == SNRM) {
            receiveState = 0;
            return HdlcFrames.hasInformationField(frame, control) || frame.length != control + 3 ? frame
                    : withDefaultParameters(frame, control);
        }
        if ((c & 0x01) == 0) {
            receiveState = ((c >> 1 & 0x07) + 1) % 8;
        }
        return frame;
    }

    synchronized byte[] outbound(byte[] frame) {
        int control = HdlcFrames.controlIndex(frame);
        if (control < 0) {
            return frame;
        }
        int c = frame[control] & 0xFF;
        if ((c & 0x01) == 0 || (c & RR_MASK) == RR) {
            byte[] patched = frame.clone();
            patched[control] = (byte) (c & 0x1F | receiveState << 5);
            HdlcFrames.sealChecksums(patched, control);
            return patched;
        }
        return frame;
    }

    private static byte[] withDefaultParameters(byte[] frame, int control) {
        byte[] info = new HdlcParameters().encode();
        int length = control + 1 + 2 + info.length + 2;
        byte[] out = new byte[length];
        System.arraycopy(frame, 0, out, 0, control + 1);
        out[0] = (byte) (HdlcFrames.FORMAT_TYPE_3 | length >> 8 & 0x07);
        out[1] = (byte) length;
        System.arraycopy(info, 0, out, control + 3, info.length);
        HdlcFrames.sealChecksums(out, control);
        return out;
    }
}

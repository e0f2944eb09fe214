package org.medida.simulator.link;

import java.util.Arrays;
import org.openmuc.jdlms.sessionlayer.hdlc.FrameInvalidException;
import org.openmuc.jdlms.sessionlayer.hdlc.HdlcParameters;

/**
 * Defects of jDLMS's HDLC server that clients trip over, mended on the wire so jDLMS stays unpatched:
 * <ul>
 * <li>it cannot decode an SNRM without information field (standard: defaults apply), so such an SNRM is re-encoded
 * with the default parameters spelled out;</li>
 * <li>its I-frames and RR frames always carry N(R) = 0 instead of acknowledging the client's frames, so N(R) is set
 * to the receive state variable: the client's last N(S) + 1;</li>
 * <li>its segmentation fails for some APDU lengths, so {@link HdlcSegmentingLayer} sends long APDUs itself; to keep
 * one numbering, N(S) of every outgoing I-frame is set here from our own send state variable.</li>
 * </ul>
 * It also remembers, from the UA, the negotiated information field length and the address bytes. One instance per
 * connection.
 */
final class HdlcRepair {

    private static final int SNRM = 0x93;
    private static final int UA = 0x73;
    /** IEC 62056-46 default maximum information field length. */
    private static final int DEFAULT_INFORMATION_LENGTH = 128;
    private static final int RR_MASK = 0x0F;
    private static final int RR = 0x01;

    private int receiveState;
    private int sendState;
    private int maxInformationLength = DEFAULT_INFORMATION_LENGTH;
    private byte[] addresses = new byte[0];

    synchronized byte[] inbound(byte[] frame) {
        int control = HdlcFrames.controlIndex(frame);
        if (control < 0) {
            return frame;
        }
        int c = frame[control] & 0xFF;
        if (c == SNRM) {
            receiveState = 0;
            sendState = 0;
            return HdlcFrames.hasInformationField(frame, control) ? frame : withDefaultParameters(frame, control);
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
        addresses = Arrays.copyOfRange(frame, 2, control);
        if (c == UA && HdlcFrames.hasInformationField(frame, control)) {
            rememberNegotiatedLength(frame, control);
        }
        boolean information = (c & 0x01) == 0;
        if (information || (c & RR_MASK) == RR) {
            byte[] patched = frame.clone();
            int sequence = information ? sendState << 1 : c & 0x0E;
            patched[control] = (byte) (c & 0x11 | sequence | receiveState << 5);
            if (information) {
                sendState = (sendState + 1) % 8;
            }
            HdlcFrames.sealChecksums(patched, control);
            return patched;
        }
        return frame;
    }

    /** Longest information field the server may send, as negotiated in the UA. */
    synchronized int maxInformationLength() {
        return maxInformationLength;
    }

    /** Destination and source address bytes of the server's frames. */
    synchronized byte[] addresses() {
        return addresses.clone();
    }

    private void rememberNegotiatedLength(byte[] frame, int control) {
        byte[] info = Arrays.copyOfRange(frame, control + 3, frame.length - 2);
        try {
            maxInformationLength = HdlcParameters.decode(info).getTransmitInformationLength();
        } catch (FrameInvalidException e) {
            maxInformationLength = DEFAULT_INFORMATION_LENGTH;
        }
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

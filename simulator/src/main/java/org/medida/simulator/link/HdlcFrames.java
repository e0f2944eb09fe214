package org.medida.simulator.link;

/**
 * HDLC frame layout (IEC 62056-46), frames given without their flags: format (2 bytes, type 3 with an 11-bit
 * length), destination and source address (each ends with a byte whose lowest bit is 1), control, then either just
 * the FCS, or HCS + information field + FCS.
 */
final class HdlcFrames {

    static final int FLAG = 0x7E;
    static final int FORMAT_TYPE_3 = 0xA0;

    private HdlcFrames() {
    }

    /** Index of the control byte, or -1 for a frame too short to have one. */
    static int controlIndex(byte[] frame) {
        int i = 2;
        for (int address = 0; address < 2; address++) {
            while (i < frame.length && (frame[i] & 0x01) == 0) {
                i++;
            }
            i++;
        }
        return i < frame.length ? i : -1;
    }

    static boolean hasInformationField(byte[] frame, int control) {
        return frame.length > control + 3;
    }

    /** Writes the HCS (when the frame has an information field) and the FCS for the frame's current content. */
    static void sealChecksums(byte[] frame, int control) {
        if (hasInformationField(frame, control)) {
            System.arraycopy(fcs(frame, control + 1), 0, frame, control + 1, 2);
        }
        System.arraycopy(fcs(frame, frame.length - 2), 0, frame, frame.length - 2, 2);
    }

    /** HDLC frame check sequence (RFC 1662 FCS-16) over the first {@code length} bytes, low byte first. */
    static byte[] fcs(byte[] bytes, int length) {
        int crc = 0xFFFF;
        for (int i = 0; i < length; i++) {
            crc ^= bytes[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? crc >>> 1 ^ 0x8408 : crc >>> 1;
            }
        }
        crc ^= 0xFFFF;
        return new byte[] {(byte) crc, (byte) (crc >>> 8)};
    }
}

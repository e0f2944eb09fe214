package org.medida.simulator.link;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import org.openmuc.jdlms.sessionlayer.hdlc.HdlcParameters;

/**
 * Passes HDLC frames through unchanged, except an SNRM without an information field: many clients send it that way
 * (the standard allows it: defaults apply), but jDLMS's HDLC server cannot decode it. Such a frame is re-encoded
 * with the default parameters spelled out (recomputing HCS and FCS), so jDLMS stays unpatched.
 */
final class SnrmNormalizingInputStream extends InputStream {

    private static final int FLAG = 0x7E;
    private static final int FORMAT_TYPE_3 = 0xA0;
    private static final int SNRM = 0x93;

    private final PushbackInputStream in;
    private byte[] pending = new byte[0];
    private int position;

    SnrmNormalizingInputStream(InputStream in) {
        this.in = new PushbackInputStream(in, 1);
    }

    @Override
    public int read() throws IOException {
        if (position == pending.length && !fill()) {
            return -1;
        }
        return pending[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position == pending.length && !fill()) {
            return -1;
        }
        int n = Math.min(len, pending.length - position);
        System.arraycopy(pending, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return pending.length - position + in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Reads the next frame (or stray byte) into {@code pending}; false at end of stream. */
    private boolean fill() throws IOException {
        int first = in.read();
        if (first < 0) {
            return false;
        }
        position = 0;
        pending = new byte[] {(byte) first};
        if (first != FLAG) {
            return true;
        }
        int format = in.read();
        if (format < 0) {
            return true;
        }
        if ((format & 0xF0) != FORMAT_TYPE_3) {
            in.unread(format);
            return true;
        }
        int length = (format & 0x07) << 8 | readByte();
        byte[] frame = new byte[length];
        frame[0] = (byte) format;
        frame[1] = (byte) (length & 0xFF);
        for (int i = 2; i < length; i++) {
            frame[i] = (byte) readByte();
        }
        int closingFlag = readByte();
        byte[] normalized = isEmptySnrm(frame) ? withDefaultParameters(frame) : frame;
        ByteArrayOutputStream out = new ByteArrayOutputStream(normalized.length + 2);
        out.write(FLAG);
        out.write(normalized);
        out.write(closingFlag);
        pending = out.toByteArray();
        return true;
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside an HDLC frame");
        }
        return b;
    }

    /** Frame bytes without flags: format (2), destination and source address, control, then HCS/FCS. */
    private static boolean isEmptySnrm(byte[] frame) {
        int control = controlIndex(frame);
        return control > 0 && (frame[control] & 0xFF) == SNRM && frame.length == control + 3;
    }

    private static int controlIndex(byte[] frame) {
        int i = 2;
        for (int address = 0; address < 2; address++) {
            while (i < frame.length && (frame[i] & 0x01) == 0) {
                i++;
            }
            i++;
        }
        return i < frame.length ? i : -1;
    }

    private static byte[] withDefaultParameters(byte[] frame) {
        int header = controlIndex(frame) + 1;
        byte[] info = new HdlcParameters().encode();
        int length = header + 2 + info.length + 2;
        byte[] out = new byte[length];
        System.arraycopy(frame, 0, out, 0, header);
        out[0] = (byte) (FORMAT_TYPE_3 | (length >> 8 & 0x07));
        out[1] = (byte) length;
        System.arraycopy(fcs(out, header), 0, out, header, 2);
        System.arraycopy(info, 0, out, header + 2, info.length);
        System.arraycopy(fcs(out, length - 2), 0, out, length - 2, 2);
        return out;
    }

    /** HDLC frame check sequence (RFC 1662 FCS-16), least significant byte first. */
    private static byte[] fcs(byte[] bytes, int length) {
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

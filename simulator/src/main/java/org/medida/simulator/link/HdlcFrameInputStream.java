package org.medida.simulator.link;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.function.UnaryOperator;

/** Reads HDLC frames one by one and hands each (without flags) to a rewrite before passing it on. */
final class HdlcFrameInputStream extends InputStream {

    private final PushbackInputStream in;
    private final UnaryOperator<byte[]> rewrite;
    private byte[] pending = new byte[0];
    private int position;

    HdlcFrameInputStream(InputStream in, UnaryOperator<byte[]> rewrite) {
        this.in = new PushbackInputStream(in, 1);
        this.rewrite = rewrite;
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

    /** Reads the next frame, or a stray byte, into {@code pending}; false at end of stream. */
    private boolean fill() throws IOException {
        int first = in.read();
        if (first < 0) {
            return false;
        }
        position = 0;
        pending = new byte[] {(byte) first};
        if (first != HdlcFrames.FLAG) {
            return true;
        }
        int format = in.read();
        if (format < 0) {
            return true;
        }
        if ((format & 0xF0) != HdlcFrames.FORMAT_TYPE_3) {
            in.unread(format);
            return true;
        }
        int length = (format & 0x07) << 8 | readByte();
        if (length < 2) {
            return true;
        }
        byte[] frame = new byte[length];
        frame[0] = (byte) format;
        frame[1] = (byte) length;
        for (int i = 2; i < length; i++) {
            frame[i] = (byte) readByte();
        }
        int closingFlag = readByte();
        byte[] rewritten = rewrite.apply(frame);
        pending = new byte[rewritten.length + 2];
        pending[0] = (byte) HdlcFrames.FLAG;
        System.arraycopy(rewritten, 0, pending, 1, rewritten.length);
        pending[pending.length - 1] = (byte) closingFlag;
        return true;
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside an HDLC frame");
        }
        return b;
    }
}

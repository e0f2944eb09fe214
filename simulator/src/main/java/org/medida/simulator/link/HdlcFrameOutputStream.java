package org.medida.simulator.link;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.UnaryOperator;

/** Collects outgoing bytes into HDLC frames and hands each (without flags) to a rewrite before sending it. */
final class HdlcFrameOutputStream extends OutputStream {

    private final OutputStream out;
    private final UnaryOperator<byte[]> rewrite;
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
    private int expectedLength = -1;

    HdlcFrameOutputStream(OutputStream out, UnaryOperator<byte[]> rewrite) {
        this.out = out;
        this.rewrite = rewrite;
    }

    @Override
    public void write(int b) throws IOException {
        if (frame.size() == 0) {
            if (b == HdlcFrames.FLAG) {
                frame.write(b);
            } else {
                out.write(b);
            }
            return;
        }
        frame.write(b);
        if (frame.size() == 3) {
            byte[] head = frame.toByteArray();
            expectedLength = (head[1] & 0x07) << 8 | head[2] & 0xFF;
        }
        // opening flag + frame + closing flag
        if (expectedLength >= 0 && frame.size() == expectedLength + 2) {
            byte[] bytes = frame.toByteArray();
            byte[] body = new byte[expectedLength];
            System.arraycopy(bytes, 1, body, 0, expectedLength);
            byte[] rewritten = rewrite.apply(body);
            // one write per frame, so that a frame travels in one TCP segment as jDLMS would send it
            byte[] framed = new byte[rewritten.length + 2];
            framed[0] = (byte) HdlcFrames.FLAG;
            System.arraycopy(rewritten, 0, framed, 1, rewritten.length);
            framed[framed.length - 1] = bytes[bytes.length - 1];
            out.write(framed);
            frame.reset();
            expectedLength = -1;
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

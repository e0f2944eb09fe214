package org.medida.simulator;

import gurux.dlms.GXByteBuffer;
import gurux.dlms.GXDLMSClient;
import gurux.dlms.GXReplyData;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;

/** Frames out, frames in, with Gurux parsing the replies and asking for further blocks. */
record GuruxConversation(GXDLMSClient client, InputStream in, OutputStream out) {

    GXReplyData exchange(byte[] frame) throws Exception {
        GXReplyData reply = new GXReplyData();
        send(frame, reply);
        return reply;
    }

    GXReplyData read(byte[][] frames) throws Exception {
        GXReplyData reply = new GXReplyData();
        for (byte[] frame : frames) {
            send(frame, reply);
            while (reply.isMoreData()) {
                send(client.receiverReady(reply), reply);
            }
        }
        return reply;
    }

    private void send(byte[] frame, GXReplyData reply) throws Exception {
        out.write(frame);
        out.flush();
        GXByteBuffer received = new GXByteBuffer();
        byte[] buffer = new byte[1024];
        do {
            int n = in.read(buffer);
            if (n < 0) {
                throw new EOFException("meter closed the connection");
            }
            received.set(buffer, 0, n);
        } while (!client.getData(received, reply));
    }
}

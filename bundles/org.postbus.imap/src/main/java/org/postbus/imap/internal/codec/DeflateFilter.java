package org.postbus.imap.internal.codec;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;

/**
 * COMPRESS=DEFLATE (RFC 4978): raw DEFLATE (RFC 1951) in both directions, each write flushed
 * with a sync flush so that the client sees every response at once. Built on java.util.zip, so
 * the bundle needs no zlib library.
 */
public final class DeflateFilter extends IoFilterAdapter {

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final Inflater inflater = new Inflater(true);
    private final byte[] chunk = new byte[16 * 1024];

    @Override
    public void messageReceived(NextFilter next, IoSession session, Object message) throws Exception {
        if (!(message instanceof IoBuffer in)) {
            next.messageReceived(session, message);
            return;
        }
        byte[] input = new byte[in.remaining()];
        in.get(input);
        IoBuffer out = IoBuffer.allocate(Math.max(256, input.length * 3)).setAutoExpand(true);
        synchronized (inflater) {
            inflater.setInput(input);
            try {
                while (true) {
                    int n = inflater.inflate(chunk);
                    if (n > 0) {
                        out.put(chunk, 0, n);
                    } else if (inflater.needsInput() || inflater.finished() || inflater.needsDictionary()) {
                        break;
                    }
                }
            } catch (DataFormatException e) {
                throw new java.io.IOException("invalid compressed data from the client: " + e.getMessage(), e);
            }
        }
        out.flip();
        if (out.hasRemaining()) {
            next.messageReceived(session, out);
        }
    }

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest request) throws Exception {
        if (!(request.getMessage() instanceof IoBuffer in)) {
            next.filterWrite(session, request);
            return;
        }
        byte[] input = new byte[in.remaining()];
        in.get(input);
        IoBuffer out = IoBuffer.allocate(input.length / 2 + 64).setAutoExpand(true);
        synchronized (deflater) {
            deflater.setInput(input);
            int n;
            do {
                n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                out.put(chunk, 0, n);
            } while (n == chunk.length);
        }
        out.flip();
        request.setMessage(out);
        next.filterWrite(session, request);
    }

    @Override
    public void onPostRemove(org.apache.mina.core.filterchain.IoFilterChain parent, String name,
            NextFilter next) {
        deflater.end();
        inflater.end();
    }
}

package dev.bulwark.waf.proxy;

import dev.bulwark.waf.servlet.BodyBudget;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

import java.nio.ByteBuffer;

/**
 * The request with its body already in memory: {@link #read()} hands out the buffered bytes as
 * one chunk, then end of content (or, for a body over the buffering limit that is not refused,
 * the rest of the original stream). Reads therefore never wait for the network. The buffer's
 * budget share is given back as soon as the chunk has been consumed.
 */
final class BufferedBodyRequest extends Request.Wrapper {

    private Content.Chunk buffered;
    private Content.Chunk next;
    private final boolean complete;

    /**
     * @param complete whether {@code body} is the whole body
     * @param next the first chunk after the buffered bytes, when not complete (may be null)
     */
    BufferedBodyRequest(Request request, byte[] body, int length, boolean complete, Content.Chunk next,
                        BodyBudget.Reservation reservation) {
        super(request);
        this.complete = complete;
        this.next = next;
        ByteBuffer bytes = length == 0 ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body, 0, length);
        this.buffered = Content.Chunk.from(bytes, complete, reservation::close);
    }

    @Override
    public synchronized Content.Chunk read() {
        if (buffered != null) {
            Content.Chunk c = buffered;
            buffered = null;
            return c;
        }
        if (next != null) {
            Content.Chunk c = next;
            next = null;
            return c;
        }
        return complete ? Content.Chunk.EOF : super.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
        boolean ready;
        synchronized (this) {
            ready = buffered != null || next != null || complete;
        }
        if (ready) {
            demandCallback.run();
        } else {
            super.demand(demandCallback);
        }
    }

    @Override
    public boolean consumeAvailable() {
        Content.Chunk a;
        Content.Chunk b;
        synchronized (this) {
            a = buffered;
            b = next;
            buffered = null;
            next = null;
        }
        if (a != null) {
            a.release();
        }
        if (b != null) {
            b.release();
        }
        return complete || super.consumeAvailable();
    }
}

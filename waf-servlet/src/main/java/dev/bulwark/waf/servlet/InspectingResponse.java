package dev.bulwark.waf.servlet;

import dev.bulwark.waf.Transaction;
import dev.bulwark.waf.Verdict;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Holds the response body back until it has been inspected. Status and headers go to the real
 * response as they are set (nothing is committed while the body is held); the body is buffered up
 * to the response inspection limit. Phases 3 and 4 run when the application finishes or when the
 * body outgrows the limit; a deny at that point replaces the response with the block page. Past
 * the limit the rest streams through uninspected, and once anything is committed a later deny
 * can only be logged.
 */
final class InspectingResponse extends HttpServletResponseWrapper {

    private static final Logger LOG = LoggerFactory.getLogger(InspectingResponse.class);

    private enum State { BUFFERING, STREAMING, BLOCKED, DONE }

    private final HttpServletRequest request;
    private final HttpServletResponse raw;
    private final Transaction tx;
    private final String requestId;
    private final int limit;
    private final boolean failOpen;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private State state = State.BUFFERING;
    private boolean headersInspected;
    private Out out;
    private PrintWriter writer;

    InspectingResponse(HttpServletRequest request, HttpServletResponse raw, Transaction tx, String requestId,
                       int limit, boolean failOpen) {
        super(raw);
        this.request = request;
        this.raw = raw;
        this.tx = tx;
        this.requestId = requestId;
        this.limit = limit;
        this.failOpen = failOpen;
    }

    @Override
    public synchronized ServletOutputStream getOutputStream() {
        if (out == null) {
            out = new Out();
        }
        return out;
    }

    @Override
    public synchronized PrintWriter getWriter() {
        if (writer == null) {
            String enc = raw.getCharacterEncoding();
            Charset cs;
            try {
                cs = enc == null ? StandardCharsets.ISO_8859_1 : Charset.forName(enc);
            } catch (RuntimeException e) {
                cs = StandardCharsets.UTF_8;
            }
            // The container adds the charset to Content-Type when its own writer is used; do the same.
            raw.setCharacterEncoding(cs.name());
            writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), cs), false);
        }
        return writer;
    }

    @Override
    public synchronized void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (state == State.STREAMING) {
            raw.flushBuffer();
        }
        // While buffering, a flush would commit uninspected content: hold it.
    }

    @Override
    public synchronized void resetBuffer() {
        if (state == State.BUFFERING) {
            buffer.reset();
        }
        raw.resetBuffer();
    }

    @Override
    public synchronized void reset() {
        if (state == State.BUFFERING) {
            buffer.reset();
        }
        raw.reset();
    }

    @Override
    public synchronized boolean isCommitted() {
        return state != State.BUFFERING || raw.isCommitted();
    }

    @Override
    public synchronized void sendError(int sc, String msg) throws IOException {
        if (beforeContainerAnswer(sc, null)) {
            raw.sendError(sc, msg);
        }
    }

    @Override
    public synchronized void sendError(int sc) throws IOException {
        if (beforeContainerAnswer(sc, null)) {
            raw.sendError(sc);
        }
    }

    @Override
    public synchronized void sendRedirect(String location) throws IOException {
        if (beforeContainerAnswer(302, location)) {
            raw.sendRedirect(location);
        }
    }

    /**
     * The application lets the container write the answer (error page, redirect): run phase 3 on
     * it first. Returns true when the container may go ahead.
     */
    private boolean beforeContainerAnswer(int status, String location) {
        if (state == State.BLOCKED || state == State.DONE) {
            return false;
        }
        if (state == State.BUFFERING) {
            buffer.reset();
            List<Map.Entry<String, String>> headers = headers();
            if (location != null) {
                headers.add(new AbstractMap.SimpleImmutableEntry<>("Location", location));
            }
            if (!inspectHeaders(status, headers)) {
                return false;
            }
            state = State.STREAMING;
        }
        return true;
    }

    /**
     * Called once the application is done (the filter chain returned, or the async context
     * completes): inspects what is still held and writes it out. Idempotent.
     */
    synchronized void finish() {
        if (writer != null) {
            writer.flush();
        }
        if (state == State.BUFFERING) {
            inspectAndRelease();
        }
        if (state == State.STREAMING) {
            state = State.DONE;
        }
    }

    /** Bytes written by the application. */
    private synchronized void write(byte[] b, int off, int len) throws IOException {
        switch (state) {
            case BLOCKED:
                return; // the block page replaced the application's answer
            case BUFFERING:
                int room = limit - buffer.size();
                if (len <= room) {
                    buffer.write(b, off, len);
                    return;
                }
                buffer.write(b, off, room);
                if (!inspectAndRelease()) {
                    return;
                }
                raw.getOutputStream().write(b, off + room, len - room);
                return;
            default:
                raw.getOutputStream().write(b, off, len);
        }
    }

    /** Phases 3 and 4 over the held prefix; on pass, writes it to the client and starts streaming. */
    private boolean inspectAndRelease() {
        if (!inspectHeaders(raw.getStatus(), headers())) {
            return false;
        }
        Verdict v;
        try {
            tx.responseBody(buffer.toByteArray(), 0, buffer.size());
            v = tx.processResponseBody();
        } catch (RuntimeException e) {
            v = engineFailure(e);
        }
        if (v.interrupts() && block(v)) {
            return false;
        }
        state = State.STREAMING;
        try {
            if (buffer.size() > 0) {
                buffer.writeTo(raw.getOutputStream());
            }
        } catch (IOException e) {
            LOG.debug("client went away while sending response for request {}", requestId, e);
        }
        buffer.reset();
        return true;
    }

    private boolean inspectHeaders(int status, List<Map.Entry<String, String>> headers) {
        if (headersInspected) {
            return true;
        }
        headersInspected = true;
        Verdict v;
        try {
            v = tx.processResponseHeaders(status, headers);
        } catch (RuntimeException e) {
            v = engineFailure(e);
        }
        return !(v.interrupts() && block(v));
    }

    private Verdict engineFailure(RuntimeException e) {
        LOG.error("engine failure inspecting response of request {}", requestId, e);
        return failOpen ? Verdict.pass() : new Verdict.Deny(500, 0, "engine failure", List.of());
    }

    /** Replaces the response with the verdict's answer if still possible; true when blocked. */
    private boolean block(Verdict v) {
        buffer.reset();
        if (raw.isCommitted() && !(v instanceof Verdict.Drop)) {
            LOG.warn("response of request {} matched a blocking rule after it was committed; logged only", requestId);
            return false;
        }
        state = State.BLOCKED;
        BlockPages.send(request, raw, v, requestId);
        return true;
    }

    private List<Map.Entry<String, String>> headers() {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        boolean contentType = false;
        for (String name : raw.getHeaderNames()) {
            contentType |= "Content-Type".equalsIgnoreCase(name);
            for (String value : raw.getHeaders(name)) {
                list.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
            }
        }
        if (!contentType && raw.getContentType() != null) {
            list.add(new AbstractMap.SimpleImmutableEntry<>("Content-Type", raw.getContentType()));
        }
        return list;
    }

    /** The stream handed to the application. */
    private final class Out extends ServletOutputStream {
        @Override
        public void write(int b) throws IOException {
            InspectingResponse.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            InspectingResponse.this.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            // Not flushBuffer(): the writer flushes into this stream, which must not flush it back.
            synchronized (InspectingResponse.this) {
                if (state == State.STREAMING) {
                    raw.getOutputStream().flush();
                }
            }
        }

        @Override
        public boolean isReady() {
            synchronized (InspectingResponse.this) {
                if (state == State.STREAMING) {
                    try {
                        return raw.getOutputStream().isReady();
                    } catch (IOException e) {
                        return true;
                    }
                }
                return true;
            }
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            try {
                raw.getOutputStream().setWriteListener(listener);
            } catch (IOException e) {
                listener.onError(e);
            }
        }
    }
}

package dev.bulwark.waf.proxy;

import dev.bulwark.waf.servlet.BodyBudget;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Receives the whole request body without holding a thread, before the servlet layer (the WAF
 * filter, then the proxy servlet) sees the request. The filter reads bodies blocking, so without
 * this a client that sends one byte per second holds a pool thread for as long as it likes; here
 * the bytes are collected as they arrive ({@link Request#read()}/{@link Request#demand}) and the
 * request is dispatched only once its body is complete, so the filter's reads never wait.
 *
 * <p>Bounds: the body must arrive within the body timeout, at the minimum average rate once the
 * grace period is over (else 408 and the connection closes); the buffer grows with the bytes
 * received, each growth taken from the shared {@link BodyBudget} (no room: 503 with
 * {@code Retry-After}); a body over {@code maxBody} is answered 413 when the WAF enforces its
 * limit, else the buffered part is followed by the rest of the live stream, as before.
 */
final class BodyBufferingHandler extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger(BodyBufferingHandler.class);

    /** First buffer size: most bodies are small. */
    private static final int FIRST_BUFFER = 4096;

    /** How often the timeout and the rate are checked, and how long a slow start is forgiven. */
    static final long CHECK_INTERVAL_MS = 1000;
    static final long RATE_GRACE_MS = 5000;

    private final BodyBudget budget;
    private final long maxBody;
    private final boolean rejectOverLimit;
    private final long bodyTimeoutMs;
    private final long minBytesPerSecond;

    /**
     * @param maxBody largest body buffered (the WAF's {@code maxRequestBodyBytes})
     * @param rejectOverLimit whether a larger body gets 413 (the WAF enforces its limits) or the
     *        buffered part followed by the live rest
     * @param bodyTimeoutMs longest time for a whole body to arrive
     * @param minBytesPerSecond lowest average rate accepted after the grace period (0: none)
     */
    BodyBufferingHandler(Handler handler, BodyBudget budget, long maxBody, boolean rejectOverLimit,
                         long bodyTimeoutMs, long minBytesPerSecond) {
        super(handler);
        this.budget = budget;
        this.maxBody = maxBody;
        this.rejectOverLimit = rejectOverLimit;
        this.bodyTimeoutMs = bodyTimeoutMs;
        this.minBytesPerSecond = minBytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long declared = request.getLength();
        if (declared > maxBody && rejectOverLimit) {
            // Nothing to wait for: the answer is known from the headers.
            Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413);
            return true;
        }
        new Collector(request, response, callback).start();
        return true;
    }

    /** Dispatches to the wrapped handler, answering 404 when it does not take the request. */
    private void dispatch(Request request, Response response, Callback callback) {
        try {
            if (!super.handle(request, response, callback)) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
        } catch (Throwable t) {
            Response.writeError(request, response, callback, t);
        }
    }

    /**
     * Collects one request's body; {@link #run()} is its demand callback. It never blocks, so Jetty
     * may run it on the selector thread (no pool thread per arriving byte); the dispatch of the
     * complete request, which blocks in the filter, goes to the pool.
     */
    private final class Collector implements Invocable.Task {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final BodyBudget.Reservation reservation = budget.reserve();
        private final AtomicBoolean finished = new AtomicBoolean();
        private final long start = System.nanoTime();
        private byte[] buf = new byte[0];
        private volatile int length;
        private Scheduler.Task check;

        Collector(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = new ReleasingCallback(callback, reservation);
        }

        void start() {
            scheduleCheck();
            collect(false);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public void run() {
            collect(true);
        }

        private void scheduleCheck() {
            if (finished.get()) {
                return;
            }
            Scheduler scheduler = request.getComponents().getScheduler();
            check = scheduler.schedule(this::check, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }

        /** The periodic timeout and rate check (on the scheduler thread). */
        private void check() {
            if (finished.get()) {
                return;
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            boolean late = elapsed >= bodyTimeoutMs;
            boolean slow = minBytesPerSecond > 0 && elapsed >= RATE_GRACE_MS
                    && length * 1000L < minBytesPerSecond * elapsed;
            if (late || slow) {
                LOG.debug("request body too slow ({} bytes in {} ms): 408", length, elapsed);
                fail(HttpStatus.REQUEST_TIMEOUT_408);
                return;
            }
            scheduleCheck();
        }

        /** Reads what has arrived; {@code demanded} when called back by Jetty rather than from handle(). */
        private void collect(boolean demanded) {
            while (!finished.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable x = chunk.getFailure();
                    chunk.release();
                    // An idle timeout while waiting for bytes is a slow client; anything else a broken one.
                    fail(x instanceof TimeoutException ? HttpStatus.REQUEST_TIMEOUT_408 : HttpStatus.BAD_REQUEST_400);
                    return;
                }
                boolean last = chunk.isLast();
                ByteBuffer bytes = chunk.getByteBuffer();
                int n = bytes.remaining();
                if (n > 0 && length + (long) n > maxBody) {
                    if (rejectOverLimit) {
                        chunk.release();
                        fail(HttpStatus.PAYLOAD_TOO_LARGE_413);
                        return;
                    }
                    // Not enforcing: hand over what is buffered, the rest streams from this chunk on.
                    finish(false, chunk, demanded);
                    return;
                }
                if (n > 0 && !append(bytes, n)) {
                    chunk.release();
                    fail(HttpStatus.SERVICE_UNAVAILABLE_503);
                    return;
                }
                chunk.release();
                if (last) {
                    finish(true, null, demanded);
                    return;
                }
            }
        }

        /** Copies {@code n} bytes into the buffer, growing it within the budget; false when there is no room. */
        private boolean append(ByteBuffer bytes, int n) {
            int need = length + n;
            if (need > buf.length) {
                int grown = (int) Math.min(maxBody, Math.max(need, Math.max(FIRST_BUFFER, (long) buf.length * 2)));
                // Never wait here: this is a selector or pool thread serving many connections.
                if (!reservation.grow(grown - buf.length, 0)) {
                    return false;
                }
                buf = Arrays.copyOf(buf, grown);
            }
            bytes.get(buf, length, n);
            length = need;
            return true;
        }

        /** Answers {@code status} instead of dispatching; the unread rest makes Jetty close the connection. */
        private void fail(int status) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            cancelCheck();
            reservation.close();
            if (status == HttpStatus.SERVICE_UNAVAILABLE_503) {
                LOG.warn("no room for a request body within limits.maxInFlightBodyBytes ({} of {} bytes in use): 503",
                        budget.used(), budget.capacity());
            }
            Response.writeError(request, response, callback, status);
        }

        /** Dispatches with the buffered body, followed by {@code next} and the live stream when not complete. */
        private void finish(boolean complete, Content.Chunk next, boolean demanded) {
            if (!finished.compareAndSet(false, true)) {
                if (next != null) {
                    next.release();
                }
                return;
            }
            cancelCheck();
            Request buffered = new BufferedBodyRequest(request, buf, length, complete, next, reservation);
            buf = null;
            if (demanded) {
                // Possibly the selector thread: the filter and the proxy servlet may block.
                request.getComponents().getExecutor().execute(() -> dispatch(buffered, response, callback));
            } else {
                dispatch(buffered, response, callback);
            }
        }

        private void cancelCheck() {
            Scheduler.Task t = check;
            if (t != null) {
                t.cancel();
            }
        }
    }

    /** Completes the exchange's callback after giving the body's memory back, however it ends. */
    private static final class ReleasingCallback implements Callback {
        private final Callback delegate;
        private final BodyBudget.Reservation reservation;

        ReleasingCallback(Callback delegate, BodyBudget.Reservation reservation) {
            this.delegate = delegate;
            this.reservation = reservation;
        }

        @Override
        public void succeeded() {
            reservation.close();
            delegate.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            reservation.close();
            delegate.failed(x);
        }

        @Override
        public InvocationType getInvocationType() {
            return delegate.getInvocationType();
        }
    }
}

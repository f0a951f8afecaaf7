package dev.bulwark.waf.servlet;

import dev.bulwark.waf.Limits;
import dev.bulwark.waf.Mode;
import dev.bulwark.waf.Transaction;
import dev.bulwark.waf.Verdict;
import dev.bulwark.waf.Waf;
import dev.bulwark.waf.WafConfigException;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * A Servlet filter that inspects every request and response with a Bulwark {@link Waf}.
 *
 * <p>Per request it runs phase 1 on the request line and headers, reads and inspects the body
 * (phase 2) and replays it intact to the application, then holds the response body back up to
 * the response inspection limit for phases 3 and 4. An interrupting verdict is answered with a
 * small page that shows only the status and the request id; rule ids and messages go to the
 * audit log, never to the client.
 *
 * <p>Set up in code with {@link #WafFilter(Waf)}, or in {@code web.xml} with the no-argument
 * constructor and these init parameters:
 * <ul>
 *   <li>{@code config}: path of a YAML configuration file, or {@code classpath:name}; without it
 *       the bundled rules are loaded in mode {@code On};</li>
 *   <li>{@code mode}: overrides the configured mode ({@code On}, {@code DetectionOnly}, {@code Off});</li>
 *   <li>{@code failOpen}: {@code true} to let requests through when the engine itself fails
 *       (default {@code false}: answer 500).</li>
 * </ul>
 *
 * <p>An incoming {@code X-Request-Id} of at most 64 characters of {@code [A-Za-z0-9._-]} becomes
 * the transaction id; otherwise one is generated. The application (and a proxy behind the
 * filter) sees the id as that header and as the request attribute
 * {@value BufferedRequest#REQUEST_ID_ATTRIBUTE}.
 *
 * <p>Thread-safe once initialised.
 */
public class WafFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(WafFilter.class);

    /** Size of one read from the request body, and the first buffer size. */
    private static final int CHUNK = 8192;

    /**
     * How long a body waits for room in the {@link BodyBudget} before it is refused with 503. Short,
     * because the waiting request holds a container thread.
     */
    static final long BUDGET_WAIT_MS = 1000;

    private volatile Waf waf;
    private volatile boolean failOpen;
    private volatile BodyBudget budget;

    /** For {@code web.xml}: the WAF is loaded in {@link #init(FilterConfig)} from the init parameters. */
    public WafFilter() {
    }

    /** Uses the given WAF; {@link #init(FilterConfig)} then only applies a {@code mode} init parameter. */
    public WafFilter(Waf waf) {
        if (waf == null) {
            throw new IllegalArgumentException("waf must not be null");
        }
        this.waf = waf;
        this.budget = new BodyBudget(waf.limits().maxInFlightBodyBytes());
    }

    /**
     * Uses {@code budget} for the bodies this filter buffers instead of one of its own made from
     * {@code limits.maxInFlightBodyBytes}; for a server that buffers bodies elsewhere too.
     */
    public WafFilter bodyBudget(BodyBudget budget) {
        if (budget == null) {
            throw new IllegalArgumentException("budget must not be null");
        }
        this.budget = budget;
        return this;
    }

    /** The budget bounding the memory of the bodies this filter buffers (null before init without a WAF). */
    public BodyBudget bodyBudget() {
        return budget;
    }

    /**
     * Whether requests go through uninspected when the engine throws (true), or are answered with
     * a 500 block page (false, the default).
     */
    public WafFilter failOpen(boolean failOpen) {
        this.failOpen = failOpen;
        return this;
    }

    /** The WAF in use (null before {@link #init(FilterConfig)} for a filter made without one). */
    public Waf waf() {
        return waf;
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        String fail = config.getInitParameter("failOpen");
        if (fail != null) {
            failOpen = Boolean.parseBoolean(fail.trim());
        }
        try {
            Waf w = waf;
            if (w == null) {
                w = load(config.getInitParameter("config"));
            }
            String mode = config.getInitParameter("mode");
            if (mode != null && !mode.isBlank()) {
                w = w.withMode(Mode.parse(mode));
            }
            waf = w;
            if (budget == null) {
                budget = new BodyBudget(w.limits().maxInFlightBodyBytes());
            }
        } catch (WafConfigException | IllegalArgumentException e) {
            throw new ServletException("Bulwark WAF configuration error: " + e.getMessage(), e);
        }
        LOG.info("Bulwark WAF filter ready: mode {}, paranoia level {}, {} rules", waf.mode(), waf.paranoiaLevel(),
                waf.rules().size());
    }

    /** Loads the WAF named by the {@code config} init parameter, or the bundled rules when absent. */
    static Waf load(String config) {
        if (config == null || config.isBlank()) {
            return Waf.builder().bundledRules().build();
        }
        String c = config.trim();
        if (c.startsWith("classpath:")) {
            return Waf.fromConfig(classpathPath(c.substring("classpath:".length())));
        }
        return Waf.fromConfig(Path.of(c));
    }

    /** A path for a class path resource, so that rule files next to it resolve (also inside jars). */
    private static Path classpathPath(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        URL url = cl == null ? null : cl.getResource(n);
        if (url == null) {
            url = WafFilter.class.getClassLoader().getResource(n);
        }
        if (url == null) {
            throw new IllegalArgumentException("configuration resource not found on the class path: " + n);
        }
        try {
            URI uri = url.toURI();
            try {
                return Path.of(uri);
            } catch (FileSystemNotFoundException e) {
                FileSystems.newFileSystem(uri, Map.of());
                return Path.of(uri);
            }
        } catch (URISyntaxException | IOException e) {
            throw new IllegalArgumentException("cannot open configuration resource " + n + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        Waf w = waf;
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse) || w == null
                || w.mode() == Mode.OFF) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String incoming = request.getHeader(BlockPages.REQUEST_ID_HEADER);
        Transaction tx;
        try {
            tx = isSaneRequestId(incoming) ? w.newTransaction(incoming) : w.newTransaction();
        } catch (RuntimeException e) {
            if (engineFailure(e, request, response, null)) {
                chain.doFilter(req, res);
            }
            return;
        }
        BodyBudget b = budget;
        BodyBudget.Reservation reservation = (b != null ? b : new BodyBudget(w.limits().maxInFlightBodyBytes()))
                .reserve();
        boolean closeNow = true;
        try {
            closeNow = inspect(w, tx, request, response, chain, reservation);
        } finally {
            if (closeNow) {
                tx.close();
            }
            releaseWhenDone(request, reservation);
        }
    }

    /**
     * Gives the body's memory back now, or, when the application went asynchronous (a proxy still
     * forwarding the buffered body), once the exchange completes, fails or times out.
     */
    private static void releaseWhenDone(HttpServletRequest request, BodyBudget.Reservation reservation) {
        if (reservation.held() == 0) {
            reservation.close();
            return;
        }
        try {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new ReleaseOnComplete(reservation));
                return;
            }
        } catch (IllegalStateException e) {
            // Completed in the meantime: nothing uses the buffer any more.
        }
        reservation.close();
    }

    /** Runs the exchange; returns false when an async request will close the transaction later. */
    private boolean inspect(Waf w, Transaction tx, HttpServletRequest request, HttpServletResponse response,
                            FilterChain chain, BodyBudget.Reservation reservation)
            throws IOException, ServletException {
        String id = tx.id();
        Verdict v;
        try {
            tx.connection(request.getRemoteAddr(), request.getRemotePort(), request.getLocalAddr(),
                    request.getLocalPort());
            String query = request.getQueryString();
            String uri = request.getRequestURI();
            tx.requestLine(request.getMethod(), query == null ? uri : uri + "?" + query, request.getProtocol());
            for (Enumeration<String> names = request.getHeaderNames(); names != null && names.hasMoreElements(); ) {
                String name = names.nextElement();
                for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                    tx.requestHeader(name, values.nextElement());
                }
            }
            v = tx.processRequestHeaders();
        } catch (RuntimeException e) {
            if (engineFailure(e, request, response, id)) {
                chain.doFilter(request, response);
            }
            return true;
        }
        if (v.interrupts()) {
            BlockPages.send(request, response, v, id);
            return true;
        }

        Body body;
        try {
            body = readBody(w, tx, request, reservation);
        } catch (IOException e) {
            // The client aborted or sent a broken body (bad chunking): a clean 400 if anyone listens.
            LOG.debug("request {}: cannot read request body: {}", id, LogText.escape(e.toString()));
            BlockPages.page(response, 400, id);
            return true;
        } catch (RuntimeException e) {
            // The body is partly consumed, so fail-open cannot replay it reliably: fail closed.
            engineFailure(e, request, response, id);
            BlockPages.page(response, 500, id);
            return true;
        }
        if (body.busy) {
            LOG.warn("request {}: no room for its body within limits.maxInFlightBodyBytes ({} bytes reached); "
                    + "answered 503", id, reservation.held());
            BlockPages.busy(response, id);
            return true;
        }
        if (body.verdict != null) {
            BlockPages.send(request, response, body.verdict, id);
            return true;
        }

        // Without response rules there is nothing to hold responses back for: stream them.
        boolean inspectResponse = w.inspectsResponses();
        try {
            v = tx.processRequestBody();
        } catch (RuntimeException e) {
            if (!engineFailure(e, request, response, id)) {
                return true;
            }
            v = Verdict.pass();
            inspectResponse = false;
        }
        if (v.interrupts()) {
            BlockPages.send(request, response, v, id);
            return true;
        }

        if (!inspectResponse) {
            chain.doFilter(new BufferedRequest(request, body.prefix, body.length, body.rest, id, null,
                    w.limits(), reservation), response);
            return true;
        }
        InspectingResponse wrappedResponse = new InspectingResponse(request, response, tx, id,
                w.limits().maxResponseBodyBytes(), failOpen);
        BufferedRequest wrappedRequest = new BufferedRequest(request, body.prefix, body.length, body.rest, id,
                wrappedResponse, w.limits(), reservation);
        chain.doFilter(wrappedRequest, wrappedResponse);
        if (request.isAsyncStarted()) {
            // The application answers later (for example a proxy); inspection finishes on complete.
            request.getAsyncContext().addListener(new CloseOnComplete(tx, wrappedResponse));
            return false;
        }
        wrappedResponse.finish();
        return true;
    }

    /** The outcome of reading the request body. */
    private static final class Body {
        byte[] prefix;
        int length;
        InputStream rest;
        Verdict verdict;
        /** No room in the body budget. */
        boolean busy;
    }

    /**
     * Reads the body into memory up to what may be inspected, feeding the engine as it goes. With
     * {@code INSPECT_PARTIAL} (or in detection-only mode) a longer body keeps its remainder in
     * the original stream, to be streamed to the application uninspected.
     *
     * <p>The buffer starts small and doubles as bytes arrive, each growth taken from the body
     * budget first: a declared {@code Content-Length} reserves nothing.
     */
    private static Body readBody(Waf w, Transaction tx, HttpServletRequest request,
                                 BodyBudget.Reservation reservation) throws IOException {
        Body body = new Body();
        if (!tx.wantsRequestBody()) {
            return body; // prefix stays null: the application reads the original stream
        }
        Limits limits = w.limits();
        boolean enforce = w.mode() == Mode.ON;
        long declared = request.getContentLengthLong();
        if (enforce && declared > limits.maxRequestBodyBytes()) {
            body.verdict = tooLarge(tx);
            return body;
        }
        boolean partial = limits.onBodyLimit() == Limits.BodyLimitAction.INSPECT_PARTIAL || !enforce;
        long keep = partial ? limits.maxInspectedBodyBytes() : limits.maxRequestBodyBytes();
        InputStream in = request.getInputStream();
        // Never more than one chunk up front, whatever the client declares.
        int initial = (int) Math.max(16, Math.min(keep, declared > 0 ? Math.min(declared, CHUNK) : CHUNK));
        if (!reservation.grow(initial, BUDGET_WAIT_MS)) {
            body.busy = true;
            return body;
        }
        byte[] buf = new byte[initial];
        int length = 0;
        while (length < keep) {
            if (length == buf.length) {
                int grown = (int) Math.min(keep, (long) buf.length * 2);
                if (!reservation.grow(grown - buf.length, BUDGET_WAIT_MS)) {
                    body.busy = true;
                    return body;
                }
                buf = Arrays.copyOf(buf, grown);
            }
            int n = in.read(buf, length, (int) Math.min(CHUNK, buf.length - length));
            if (n < 0) {
                break;
            }
            if (n == 0) {
                continue;
            }
            Verdict v = tx.requestBody(buf, length, n);
            length += n;
            if (v.interrupts()) {
                body.verdict = v;
                return body;
            }
        }
        body.prefix = buf;
        body.length = length;
        if (length >= keep) {
            int next = in.read();
            if (next >= 0) {
                if (!partial) {
                    body.verdict = tooLarge(tx);
                    return body;
                }
                long remaining = enforce ? limits.maxRequestBodyBytes() - length : Long.MAX_VALUE;
                body.rest = new CappedInputStream(
                        new SequenceInputStream(new ByteArrayInputStream(new byte[] {(byte) next}), in), remaining);
            }
        }
        return body;
    }

    private static Verdict tooLarge(Transaction tx) {
        return new Verdict.Deny(413, 0, "request body larger than the limit", tx.matches());
    }

    /**
     * Logs an engine failure and either answers 500 (fail-closed; returns false) or returns true
     * so that the caller lets the request through.
     */
    private boolean engineFailure(RuntimeException e, HttpServletRequest request, HttpServletResponse response,
                                  String id) throws IOException {
        LOG.error("Bulwark engine failure on {} {} (request {})", LogText.escape(request.getMethod()),
                LogText.escape(request.getRequestURI()), id, e);
        if (failOpen) {
            return true;
        }
        BlockPages.page(response, 500, id == null ? "-" : id);
        return false;
    }

    /** Whether an incoming request id may be reused: 1 to 64 characters of {@code [A-Za-z0-9._-]}. */
    static boolean isSaneRequestId(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void destroy() {
        // Nothing to release: the Waf holds no threads or files.
    }

    /** Gives a body's memory back when an asynchronous exchange ends, however it ends. */
    private static final class ReleaseOnComplete implements AsyncListener {
        private final BodyBudget.Reservation reservation;

        ReleaseOnComplete(BodyBudget.Reservation reservation) {
            this.reservation = reservation;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            reservation.close();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows; the buffer may still be read until then.
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows.
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    /** Finishes and closes the transaction of an asynchronous request. */
    private static final class CloseOnComplete implements AsyncListener {
        private final Transaction tx;
        private final InspectingResponse response;

        CloseOnComplete(Transaction tx, InspectingResponse response) {
            this.tx = tx;
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            tx.close();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // The container answers the timeout itself; what was held back is simply dropped.
        }

        @Override
        public void onError(AsyncEvent event) {
            LOG.debug("async error on request {}", tx.id(), event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    /** Fails reads past the request body limit for bodies streamed through uninspected. */
    private static final class CappedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        CappedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && --remaining < 0) {
                throw new IOException("request body larger than the limit");
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                remaining -= n;
                if (remaining < 0) {
                    throw new IOException("request body larger than the limit");
                }
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }
}

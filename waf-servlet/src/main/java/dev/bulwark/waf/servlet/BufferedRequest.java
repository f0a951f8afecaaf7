package dev.bulwark.waf.servlet;

import dev.bulwark.waf.Limits;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request as the application sees it after inspection: the body the filter consumed is
 * replayed byte for byte (the buffered prefix, then, for partially inspected bodies, the rest of
 * the original stream), form parameters are parsed from those bytes, and the request id is
 * visible as the {@code X-Request-Id} header so that a proxy forwards it.
 *
 * <p>{@code multipart/form-data} bodies are split into parts here too ({@link #getParts()}), and
 * their text fields join the parameters, as a container with a multipart config would do. When
 * only a prefix was inspected ({@code INSPECT_PARTIAL}), asking for parts or parameters first
 * reads the rest of the body into memory (at most the multipart config's {@code maxRequestSize},
 * else the WAF's {@code maxRequestBodyBytes}); the body stays replayable afterwards.
 */
final class BufferedRequest extends HttpServletRequestWrapper {

    /** Request attribute holding the transaction id, for applications and access logs. */
    static final String REQUEST_ID_ATTRIBUTE = "dev.bulwark.waf.requestId";

    /**
     * Request attribute under which Jetty (ee10) exposes the matched servlet's
     * {@link MultipartConfigElement}; the Servlet API itself offers no way to read it back.
     */
    static final String JETTY_MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";

    private static final int MAX_FORM_PAIRS = 10_000;

    /** Largest array the JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    // Not final: reading the rest of a partially inspected body for multipart parsing replaces
    // the prefix with the whole body.
    private byte[] prefix;
    private int prefixLength;
    private InputStream rest;
    private final Limits limits;
    /** The body budget share this request's buffer holds; grows when the rest is read in. */
    private final BodyBudget.Reservation reservation;
    private List<Part> parts;
    private final boolean bodyConsumed;
    private final String requestId;
    private final InspectingResponse response;
    private ReplayStream stream;
    private BufferedReader reader;
    private Map<String, String[]> parameters;
    private InspectingAsyncContext asyncContext;

    /**
     * @param prefix the body bytes read so far (null when the filter did not touch the body)
     * @param rest the unread remainder of the original body, or null when all of it is buffered
     */
    BufferedRequest(HttpServletRequest request, byte[] prefix, int prefixLength, InputStream rest,
                    String requestId, InspectingResponse response, Limits limits,
                    BodyBudget.Reservation reservation) {
        super(request);
        this.prefix = prefix;
        this.prefixLength = prefixLength;
        this.rest = rest;
        this.bodyConsumed = prefix != null;
        this.requestId = requestId;
        this.response = response;
        this.limits = limits == null ? Limits.defaults() : limits;
        this.reservation = reservation;
        request.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (!bodyConsumed) {
            return super.getInputStream();
        }
        if (stream == null) {
            stream = new ReplayStream(prefix, prefixLength, rest);
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (!bodyConsumed) {
            return super.getReader();
        }
        if (reader == null) {
            reader = new BufferedReader(new InputStreamReader(getInputStream(), charset()));
        }
        return reader;
    }

    @Override
    public String getParameter(String name) {
        String[] values = getParameterMap().get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(getParameterMap().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = getParameterMap().get(name);
        return values == null ? null : values.clone();
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        if (parameters == null) {
            parameters = Collections.unmodifiableMap(parseParameters());
        }
        return parameters;
    }

    private Map<String, String[]> parseParameters() {
        if (bodyConsumed && MultipartBody.isMultipartFormData(getContentType())) {
            Map<String, List<String>> params = new LinkedHashMap<>();
            FormParser.parse(getQueryString(), charset(), params, MAX_FORM_PAIRS);
            try {
                addTextFields(getParts(), params);
            } catch (IOException | ServletException | RuntimeException e) {
                // A body the parts parser refuses yields no fields, as in a container: the query stays.
            }
            return FormParser.toArrays(params);
        }
        if (!bodyConsumed || !isForm()) {
            try {
                return super.getParameterMap();
            } catch (RuntimeException e) {
                // For example multipart data the container can no longer read: keep the query.
                Map<String, List<String>> query = new LinkedHashMap<>();
                FormParser.parse(getQueryString(), charset(), query, MAX_FORM_PAIRS);
                return FormParser.toArrays(query);
            }
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        FormParser.parse(getQueryString(), charset(), params, MAX_FORM_PAIRS);
        byte[] body;
        int length;
        if (rest == null) {
            body = prefix;
            length = prefixLength;
        } else {
            // A partially inspected form: the application asked for its parameters, so read the
            // remainder now, as the container itself would have.
            try {
                body = getInputStream().readAllBytes();
                length = body.length;
            } catch (IOException e) {
                body = new byte[0];
                length = 0;
            }
        }
        FormParser.parse(new String(body, 0, length, StandardCharsets.ISO_8859_1), charset(), params, MAX_FORM_PAIRS);
        return FormParser.toArrays(params);
    }

    /**
     * Adds the parts without a file name as text parameters. Charset: the part's own, else the
     * value of a {@code _charset_} field (the HTML form convention), else the request's.
     */
    private void addTextFields(Collection<Part> all, Map<String, List<String>> into) {
        Charset fallback = charset();
        for (Part p : all) {
            if ("_charset_".equals(p.getName()) && p.getSubmittedFileName() == null) {
                fallback = MultipartBody.charset(((BufferedPart) p).text(StandardCharsets.ISO_8859_1).trim(), fallback);
                break;
            }
        }
        int count = 0;
        for (List<String> values : into.values()) {
            count += values.size();
        }
        for (Part p : all) {
            if (p.getSubmittedFileName() != null) {
                continue;
            }
            if (count++ >= MAX_FORM_PAIRS) {
                return;
            }
            Charset cs = MultipartBody.charset(MultipartBody.param(p.getContentType(), "charset"), fallback);
            into.computeIfAbsent(p.getName(), k -> new ArrayList<>()).add(((BufferedPart) p).text(cs));
        }
    }

    /**
     * The parts of a {@code multipart/form-data} body the filter consumed, parsed from the
     * buffered bytes (the container's own parser cannot see them any more).
     *
     * @throws ServletException when the request is not multipart/form-data, the body is malformed
     *         or has more parts than the WAF's {@code maxMultipartParts}
     * @throws IllegalStateException when the body or a part exceeds the multipart config's
     *         {@code maxRequestSize}/{@code maxFileSize}, or the rest of a partially inspected
     *         body was already read by the application
     */
    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        if (!bodyConsumed) {
            return super.getParts();
        }
        if (parts == null) {
            parts = Collections.unmodifiableList(new ArrayList<>(parseParts()));
        }
        return parts;
    }

    @Override
    public Part getPart(String name) throws IOException, ServletException {
        if (!bodyConsumed) {
            return super.getPart(name);
        }
        for (Part p : getParts()) {
            if (p.getName().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private List<BufferedPart> parseParts() throws IOException, ServletException {
        String type = getContentType();
        if (!MultipartBody.isMultipartFormData(type)) {
            throw new ServletException("request is not multipart/form-data (Content-Type: " + type + ")");
        }
        MultipartConfigElement config = multipartConfig();
        long maxRequest = config != null && config.getMaxRequestSize() > 0 ? config.getMaxRequestSize() : -1;
        readRest(maxRequest > 0 ? maxRequest : limits.maxRequestBodyBytes());
        if (maxRequest > 0 && prefixLength > maxRequest) {
            throw new IllegalStateException("multipart request body of " + prefixLength
                    + " bytes exceeds the multipart config maxRequestSize of " + maxRequest);
        }
        List<BufferedPart> list = MultipartBody.parse(type, prefix, prefixLength, limits.maxMultipartParts(),
                uploadDirectory(config));
        long maxFile = config == null ? -1 : config.getMaxFileSize();
        if (maxFile > 0) {
            for (BufferedPart p : list) {
                if (p.getSize() > maxFile) {
                    throw new IllegalStateException("multipart part '" + p.getName() + "' of " + p.getSize()
                            + " bytes exceeds the multipart config maxFileSize of " + maxFile);
                }
            }
        }
        return list;
    }

    /** The servlet's multipart config when the container exposes it (Jetty does), else null. */
    private MultipartConfigElement multipartConfig() {
        Object config = getAttribute(JETTY_MULTIPART_CONFIG);
        return config instanceof MultipartConfigElement m ? m : null;
    }

    /**
     * Where {@link Part#write(String)} puts files: the config's location (a relative one against
     * the context's temporary directory), else that directory, else {@code java.io.tmpdir}.
     */
    private Path uploadDirectory(MultipartConfigElement config) {
        Path temp = null;
        try {
            ServletContext context = getServletContext();
            Object dir = context == null ? null : context.getAttribute(ServletContext.TEMPDIR);
            if (dir instanceof File f) {
                temp = f.toPath();
            }
        } catch (RuntimeException e) {
            // No context available (a bare wrapper in tests): fall back to the JVM's directory.
        }
        if (temp == null) {
            temp = Path.of(System.getProperty("java.io.tmpdir"));
        }
        String location = config == null ? null : config.getLocation();
        if (location == null || location.isBlank()) {
            return temp;
        }
        try {
            Path p = Path.of(location);
            return p.isAbsolute() ? p : temp.resolve(p);
        } catch (InvalidPathException e) {
            return temp;
        }
    }

    /**
     * Makes the whole body buffered: appends the rest of a partially inspected body to the prefix
     * (at most {@code cap} bytes in all), so that parts can be sliced from one array and the body
     * can still be replayed afterwards.
     */
    private void readRest(long cap) throws IOException {
        if (rest == null) {
            return;
        }
        if (stream != null && stream.started()) {
            throw new IllegalStateException(
                    "the application already read the request body stream; multipart parts are no longer available");
        }
        long limit = Math.min(cap, MAX_ARRAY - 1L);
        byte[] buf = prefix;
        int len = prefixLength;
        while (true) {
            if (len == buf.length) {
                int grown = (int) Math.max(len + 1L, Math.min(limit + 1, len * 2L + 8192));
                if (reservation != null && !reservation.grow(grown - buf.length, WafFilter.BUDGET_WAIT_MS)) {
                    throw new IllegalStateException("no memory left for request bodies (limits.maxInFlightBodyBytes)");
                }
                buf = Arrays.copyOf(buf, grown);
            }
            int n = rest.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            len += n;
            if (len > limit) {
                throw new IllegalStateException("multipart request body larger than " + limit + " bytes");
            }
        }
        prefix = buf;
        prefixLength = len;
        rest = null;
        if (stream != null) {
            stream.replace(buf, len);
        }
    }

    private boolean isForm() {
        String type = getContentType();
        return type != null && type.trim().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private Charset charset() {
        String enc = getCharacterEncoding();
        if (enc != null) {
            try {
                return Charset.forName(enc.trim());
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                // An unknown charset label from the client; UTF-8 is the sane default.
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public String getHeader(String name) {
        if (BlockPages.REQUEST_ID_HEADER.equalsIgnoreCase(name)) {
            return requestId;
        }
        return super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        if (BlockPages.REQUEST_ID_HEADER.equalsIgnoreCase(name)) {
            return Collections.enumeration(List.of(requestId));
        }
        return super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        boolean present = false;
        for (Enumeration<String> e = super.getHeaderNames(); e != null && e.hasMoreElements(); ) {
            String n = e.nextElement();
            present |= BlockPages.REQUEST_ID_HEADER.equalsIgnoreCase(n);
            names.add(n);
        }
        if (!present) {
            names.add(BlockPages.REQUEST_ID_HEADER);
        }
        return Collections.enumeration(names);
    }

    @Override
    public AsyncContext startAsync() {
        if (response == null) {
            return super.startAsync();
        }
        return startAsync(this, response);
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse servletResponse) {
        AsyncContext delegate = super.startAsync(request, servletResponse);
        if (response == null) {
            return delegate;
        }
        if (asyncContext == null || asyncContext.delegate() != delegate) {
            asyncContext = new InspectingAsyncContext(delegate, response);
        }
        return asyncContext;
    }

    @Override
    public AsyncContext getAsyncContext() {
        AsyncContext delegate = super.getAsyncContext();
        if (asyncContext != null && asyncContext.delegate() == delegate) {
            return asyncContext;
        }
        return delegate;
    }

    /** The buffered prefix followed by the rest of the original stream. */
    private static final class ReplayStream extends ServletInputStream {
        private byte[] prefix;
        private int prefixLength;
        private InputStream rest;
        private int pos;
        private boolean finished;
        private boolean restTouched;

        ReplayStream(byte[] prefix, int prefixLength, InputStream rest) {
            this.prefix = prefix;
            this.prefixLength = prefixLength;
            this.rest = rest;
        }

        /** Whether anything was read (or skipped) from this stream. */
        boolean started() {
            return pos > 0 || restTouched;
        }

        /** Swaps in the whole body once the request has read the rest itself; only before {@link #started()}. */
        void replace(byte[] body, int length) {
            prefix = body;
            prefixLength = length;
            rest = null;
        }

        @Override
        public int read() throws IOException {
            if (pos < prefixLength) {
                return prefix[pos++] & 0xff;
            }
            restTouched = true;
            int b = rest == null ? -1 : rest.read();
            finished = b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos < prefixLength) {
                int n = Math.min(len, prefixLength - pos);
                System.arraycopy(prefix, pos, b, off, n);
                pos += n;
                return n;
            }
            restTouched = true;
            int n = rest == null ? -1 : rest.read(b, off, len);
            finished = n < 0;
            return n;
        }

        @Override
        public int available() throws IOException {
            return prefixLength - pos + (rest == null ? 0 : rest.available());
        }

        @Override
        public boolean isFinished() {
            return finished || (rest == null && pos >= prefixLength);
        }

        @Override
        public boolean isReady() {
            // Buffered bytes never block; the remainder is read blocking, as the container's
            // stream would be before a read listener is set.
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            // Every read from this stream can proceed at once (the remainder blocks briefly at
            // worst), so the listener is told right away, on the calling thread.
            try {
                listener.onDataAvailable();
                if (isFinished()) {
                    listener.onAllDataRead();
                }
            } catch (IOException | RuntimeException e) {
                listener.onError(e);
            }
        }
    }
}

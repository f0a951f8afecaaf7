package dev.bulwark.waf.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
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
 */
final class BufferedRequest extends HttpServletRequestWrapper {

    /** Request attribute holding the transaction id, for applications and access logs. */
    static final String REQUEST_ID_ATTRIBUTE = "dev.bulwark.waf.requestId";

    private static final int MAX_FORM_PAIRS = 10_000;

    private final byte[] prefix;
    private final int prefixLength;
    private final InputStream rest;
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
                    String requestId, InspectingResponse response) {
        super(request);
        this.prefix = prefix;
        this.prefixLength = prefixLength;
        this.rest = rest;
        this.bodyConsumed = prefix != null;
        this.requestId = requestId;
        this.response = response;
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
        private final byte[] prefix;
        private final int prefixLength;
        private final InputStream rest;
        private int pos;
        private boolean finished;

        ReplayStream(byte[] prefix, int prefixLength, InputStream rest) {
            this.prefix = prefix;
            this.prefixLength = prefixLength;
            this.rest = rest;
        }

        @Override
        public int read() throws IOException {
            if (pos < prefixLength) {
                return prefix[pos++] & 0xff;
            }
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

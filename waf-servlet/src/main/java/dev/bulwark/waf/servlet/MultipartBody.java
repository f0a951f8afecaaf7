package dev.bulwark.waf.servlet;

import dev.bulwark.waf.request.BodyLimits;
import dev.bulwark.waf.request.MultipartParts;
import jakarta.servlet.ServletException;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a buffered {@code multipart/form-data} body into {@link BufferedPart}s for the request
 * wrapper, because once the filter has read the body the container cannot parse it any more.
 *
 * <p>The split is the engine's own ({@link MultipartParts}), so the application sees exactly the
 * parts the WAF inspected. Where the engine records a body-parse error (no or bad boundary,
 * missing final boundary, part without Content-Disposition, unterminated headers or quotes...)
 * the whole body is refused with a {@link ServletException}: being stricter than the inspector
 * is safe, being laxer is an evasion. Part contents are slices of the caller's array.
 */
final class MultipartBody {

    /** Part header lines the engine accepts in one part. */
    static final int MAX_HEADERS_PER_PART = 64;

    private MultipartBody() {
    }

    /** Whether {@code contentType} names {@code multipart/form-data} (parameters ignored). */
    static boolean isMultipartFormData(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.trim();
        String mt = "multipart/form-data";
        return t.regionMatches(true, 0, mt, 0, mt.length())
                && (t.length() == mt.length() || t.charAt(mt.length()) == ';' || isSpace(t.charAt(mt.length())));
    }

    /**
     * Parses {@code b[0, length)}.
     *
     * @param maxParts most parts accepted; one more is refused
     * @param location the directory {@link BufferedPart#write} resolves names against
     * @throws ServletException when the content type is not multipart/form-data or the body is
     *         malformed or has too many parts
     */
    static List<BufferedPart> parse(String contentType, byte[] b, int length, int maxParts, Path location)
            throws ServletException {
        if (!isMultipartFormData(contentType)) {
            throw new ServletException("request is not multipart/form-data (Content-Type: " + contentType + ")");
        }
        // Only the part count limits the split: the argument limit was enforced by the WAF already.
        BodyLimits defaults = BodyLimits.defaults();
        MultipartParts.Result split = MultipartParts.split(contentType, b, 0, length,
                new BodyLimits(Integer.MAX_VALUE, defaults.maxDepth(), maxParts, defaults.maxNameLength()));
        if (split.limitExceeded()) {
            throw new ServletException("multipart body has more than " + maxParts + " parts");
        }
        if (split.error() != null) {
            throw malformed(split.error());
        }
        List<BufferedPart> parts = new ArrayList<>(split.parts().size());
        for (MultipartParts.Part p : split.parts()) {
            List<String[]> headers = new ArrayList<>(p.headers().size());
            for (Map.Entry<String, String> h : p.headers()) {
                headers.add(new String[] {h.getKey(), h.getValue()});
            }
            parts.add(new BufferedPart(b, p.contentFrom(), p.contentTo() - p.contentFrom(), p.name(), p.fileName(),
                    p.contentType(), headers, location));
        }
        return parts;
    }

    /** The charset called {@code name}, or {@code fallback} for a missing or unknown label. */
    static Charset charset(String name, Charset fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        try {
            return Charset.forName(name.trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return fallback;
        }
    }

    /** The value of parameter {@code name} in a header value like {@code text/plain; charset=x}, or null. */
    static String param(String headerValue, String name) {
        if (headerValue == null) {
            return null;
        }
        int i = headerValue.indexOf(';');
        int n = headerValue.length();
        while (i >= 0 && i < n) {
            int next = headerValue.indexOf(';', i + 1);
            int stop = next < 0 ? n : next;
            int eq = headerValue.indexOf('=', i + 1);
            if (eq > 0 && eq < stop && headerValue.substring(i + 1, eq).trim().equalsIgnoreCase(name)) {
                String v = headerValue.substring(eq + 1, stop).trim();
                if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
            i = next;
        }
        return null;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static ServletException malformed(String what) {
        return new ServletException("malformed multipart/form-data body: " + what);
    }
}

package dev.bulwark.waf.servlet;

import dev.bulwark.waf.internal.Ascii;
import jakarta.servlet.ServletException;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a buffered {@code multipart/form-data} body into {@link BufferedPart}s for the request
 * wrapper, because once the filter has read the body the container cannot parse it any more.
 *
 * <p>It follows the same line rules as the engine's own multipart parser (delimiters only at line
 * starts, CRLF or bare LF line ends, transport padding after a delimiter, folded part headers) so
 * the application sees the parts the WAF inspected. Where the engine records a body-parse error
 * (no or bad boundary, missing final boundary, part without Content-Disposition or name,
 * unterminated headers or quotes, repeated parameters...) this parser refuses the whole body with
 * a {@link ServletException}: being stricter than the inspector is safe, being laxer is an evasion.
 *
 * <p>One forward pass; each comparison with the delimiter stops at the first mismatching byte and
 * a delimiter contains no LF, so the work is linear in the body. Part contents are slices of the
 * caller's array, never copies.
 */
final class MultipartBody {

    /** More header lines than this in one part is not a browser. */
    static final int MAX_HEADERS_PER_PART = 64;

    private final byte[] b;
    private final int end;
    private final byte[] delimiter;
    private final int maxParts;
    private final Path location;
    /** Set by {@link #delimiterAt}: index just past the delimiter line. */
    private int afterLine;

    private MultipartBody(byte[] b, int length, String boundary, int maxParts, Path location) {
        this.b = b;
        this.end = length;
        this.delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.maxParts = maxParts;
        this.location = location;
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
        MultipartBody p = new MultipartBody(b, length, boundary(contentType), maxParts, location);
        return p.run();
    }

    // ---------------------------------------------------------------- boundary

    /** The boundary parameter of {@code ct}; refuses a missing, repeated, empty or invalid one. */
    static String boundary(String ct) throws ServletException {
        int n = ct.length();
        int i = ct.indexOf(';');
        String found = null;
        int count = 0;
        while (i >= 0 && i < n) {
            i++; // past ';'
            i = skipSpace(ct, i);
            int ns = i;
            while (i < n && ct.charAt(i) != '=' && ct.charAt(i) != ';') {
                i++;
            }
            boolean isBoundary = "boundary".equalsIgnoreCase(ct.substring(ns, i).trim());
            if (i >= n || ct.charAt(i) == ';') {
                if (isBoundary) {
                    throw malformed("boundary parameter without value");
                }
                continue;
            }
            i = skipSpace(ct, i + 1);
            String value;
            if (i < n && ct.charAt(i) == '"') {
                int close = ct.indexOf('"', i + 1);
                if (close < 0) {
                    if (isBoundary) {
                        throw malformed("unterminated quoted boundary");
                    }
                    break;
                }
                value = ct.substring(i + 1, close);
                i = close + 1;
                while (i < n && ct.charAt(i) != ';') {
                    i++;
                }
            } else {
                int vs = i;
                while (i < n && ct.charAt(i) != ';') {
                    i++;
                }
                value = ct.substring(vs, i).trim();
                if (isBoundary && (value.indexOf('"') >= 0 || value.indexOf('\'') >= 0)) {
                    throw malformed("quote inside the boundary");
                }
            }
            if (isBoundary) {
                count++;
                found = value;
            }
        }
        if (count == 0) {
            throw malformed("no boundary in Content-Type");
        }
        if (count > 1) {
            throw malformed("several boundary parameters in Content-Type");
        }
        if (found.isEmpty()) {
            throw malformed("empty boundary");
        }
        for (int k = 0; k < found.length(); k++) {
            char c = found.charAt(k);
            // No CR/LF (the linearity argument needs a delimiter without LF) and printable ASCII only.
            if (c != ' ' && (c < 0x21 || c > 0x7E || c == '"')) {
                throw malformed("invalid character in boundary");
            }
        }
        return found;
    }

    // ---------------------------------------------------------------- body

    private List<BufferedPart> run() throws ServletException {
        int ls = 0;
        int kind = Kind.NONE;
        while (ls < end) {
            kind = delimiterAt(ls);
            if (kind == Kind.PART || kind == Kind.FINAL) {
                break;
            }
            kind = Kind.NONE;
            ls = nextLine(ls);
        }
        if (kind == Kind.NONE) {
            throw malformed("boundary not found in body");
        }
        List<BufferedPart> parts = new ArrayList<>();
        while (kind == Kind.PART) {
            if (parts.size() >= maxParts) {
                throw new ServletException("multipart body has more than " + maxParts + " parts");
            }
            List<Header> headers = new ArrayList<>();
            int contentStart = readHeaders(afterLine, headers);
            int next = contentStart;
            int nextKind = Kind.NONE;
            while (next < end) {
                nextKind = delimiterAt(next);
                if (nextKind == Kind.PART || nextKind == Kind.FINAL) {
                    break;
                }
                nextKind = Kind.NONE;
                next = nextLine(next);
            }
            if (nextKind == Kind.NONE) {
                throw malformed("final boundary missing");
            }
            // The line break before a delimiter belongs to the delimiter, not to the content.
            int contentEnd = next;
            if (next > contentStart && b[next - 1] == '\n') {
                contentEnd = next - 1 > contentStart && b[next - 2] == '\r' ? next - 2 : next - 1;
            }
            parts.add(part(headers, contentStart, contentEnd));
            kind = nextKind; // afterLine now describes the delimiter at `next`
        }
        return parts;
    }

    /** A part header; the value is a builder because folded lines append to it (linear, not quadratic). */
    private static final class Header {
        final String name;
        final StringBuilder value;

        Header(String name, String value) {
            this.name = name;
            this.value = new StringBuilder(value);
        }
    }

    /** Line kinds of {@link #delimiterAt}. */
    private static final class Kind {
        static final int NONE = 0;
        static final int PART = 1;
        static final int FINAL = 2;
    }

    /** Index just past the next LF at or after {@code p}, or {@code end}. */
    private int nextLine(int p) {
        while (p < end && b[p] != '\n') {
            p++;
        }
        return p < end ? p + 1 : end;
    }

    /** Classifies the line starting at {@code p}; sets {@link #afterLine} for delimiters. */
    private int delimiterAt(int p) {
        if (end - p < delimiter.length) {
            return Kind.NONE;
        }
        for (int k = 0; k < delimiter.length; k++) {
            if (b[p + k] != delimiter[k]) {
                return Kind.NONE;
            }
        }
        int q = p + delimiter.length;
        int kind = Kind.PART;
        if (q + 1 < end && b[q] == '-' && b[q + 1] == '-') {
            kind = Kind.FINAL;
            q += 2;
        }
        while (q < end && (b[q] == ' ' || b[q] == '\t')) {
            q++;
        }
        if (q == end) {
            afterLine = end;
        } else if (b[q] == '\r' && q + 1 < end && b[q + 1] == '\n') {
            afterLine = q + 2;
        } else if (b[q] == '\n') {
            afterLine = q + 1;
        } else if (kind == Kind.FINAL) {
            afterLine = q; // "--boundary--junk" ends the body, as in the engine
        } else {
            return Kind.NONE; // "--boundaryX": content that merely starts like a delimiter
        }
        return kind;
    }

    /** Reads part headers from {@code p} into {@code headers}; returns where the content starts. */
    private int readHeaders(int p, List<Header> headers) throws ServletException {
        int ls = p;
        while (true) {
            if (ls >= end) {
                throw malformed("part headers not terminated");
            }
            int kind = delimiterAt(ls);
            if (kind == Kind.PART || kind == Kind.FINAL) {
                throw malformed("part without blank line after its headers");
            }
            int nl = ls;
            while (nl < end && b[nl] != '\n') {
                nl++;
            }
            if (nl == end) {
                throw malformed("part headers not terminated");
            }
            int lineEnd = nl > ls && b[nl - 1] == '\r' ? nl - 1 : nl;
            if (lineEnd == ls) {
                return nl + 1;
            }
            if (b[ls] == ' ' || b[ls] == '\t') {
                if (headers.isEmpty()) {
                    throw malformed("folded line before any part header");
                }
                headers.get(headers.size() - 1).value.append(' ').append(text(ls, lineEnd).trim());
            } else {
                int colon = ls;
                while (colon < lineEnd && b[colon] != ':') {
                    colon++;
                }
                if (colon == lineEnd) {
                    throw malformed("part header without colon");
                }
                if (headers.size() >= MAX_HEADERS_PER_PART) {
                    throw malformed("more than " + MAX_HEADERS_PER_PART + " headers in one part");
                }
                headers.add(new Header(text(ls, colon).trim(), text(colon + 1, lineEnd).trim()));
            }
            ls = nl + 1;
        }
    }

    private BufferedPart part(List<Header> folded, int from, int to) throws ServletException {
        String disposition = null;
        String contentType = null;
        List<String[]> headers = new ArrayList<>(folded.size());
        for (Header f : folded) {
            String[] h = {f.name, f.value.toString()};
            headers.add(h);
            if (h[0].equalsIgnoreCase("Content-Disposition")) {
                if (disposition != null) {
                    throw malformed("repeated Content-Disposition in a part");
                }
                disposition = h[1];
            } else if (h[0].equalsIgnoreCase("Content-Type")) {
                if (contentType != null) {
                    throw malformed("repeated Content-Type in a part");
                }
                contentType = h[1];
            }
        }
        if (disposition == null) {
            throw malformed("part without Content-Disposition");
        }
        String[] nameAndFile = disposition(disposition);
        return new BufferedPart(b, from, to - from, nameAndFile[0], nameAndFile[1], contentType, headers, location);
    }

    /** {@code {name, fileName or null}} of a {@code form-data} Content-Disposition value. */
    static String[] disposition(String v) throws ServletException {
        int n = v.length();
        int i = skipSpace(v, 0);
        if (!v.regionMatches(true, i, "form-data", 0, 9)
                || (i + 9 < n && v.charAt(i + 9) != ';' && !isSpace(v.charAt(i + 9)))) {
            throw malformed("Content-Disposition is not form-data");
        }
        i += 9;
        String name = null;
        String fileName = null;
        String fileNameExt = null;
        while (true) {
            i = skipSpace(v, i);
            if (i < n && v.charAt(i) == ';') {
                i = skipSpace(v, i + 1);
            }
            if (i >= n) {
                break;
            }
            int ns = i;
            while (i < n && v.charAt(i) != '=' && v.charAt(i) != ';' && !isSpace(v.charAt(i))) {
                i++;
            }
            String pname = v.substring(ns, i).toLowerCase(Locale.ROOT);
            i = skipSpace(v, i);
            if (i >= n || v.charAt(i) != '=') {
                throw malformed("Content-Disposition parameter '" + pname + "' without value");
            }
            i = skipSpace(v, i + 1);
            String value;
            if (i < n && v.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                boolean closed = false;
                i++;
                while (i < n) {
                    char c = v.charAt(i);
                    // Only \" and \\ are escapes: old browsers send Windows paths with bare backslashes.
                    if (c == '\\' && i + 1 < n && (v.charAt(i + 1) == '"' || v.charAt(i + 1) == '\\')) {
                        sb.append(v.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    i++;
                    if (c == '"') {
                        closed = true;
                        break;
                    }
                    sb.append(c);
                }
                if (!closed) {
                    throw malformed("unterminated quoted Content-Disposition parameter");
                }
                value = sb.toString();
            } else {
                int vs = i;
                while (i < n && v.charAt(i) != ';' && !isSpace(v.charAt(i))) {
                    i++;
                }
                value = v.substring(vs, i);
            }
            switch (pname) {
                case "name" -> name = once(name, value, pname);
                case "filename" -> fileName = once(fileName, value, pname);
                case "filename*" -> fileNameExt = once(fileNameExt, value, pname);
                default -> {
                    // other parameters carry nothing the Part API exposes
                }
            }
        }
        if (name == null) {
            throw malformed("Content-Disposition without name");
        }
        if (fileNameExt != null) {
            fileName = decodeExtValue(fileNameExt);
        }
        return new String[] {name, fileName};
    }

    private static String once(String previous, String value, String pname) throws ServletException {
        if (previous != null) {
            throw malformed("repeated Content-Disposition parameter '" + pname + "'");
        }
        return value;
    }

    /** RFC 5987 {@code charset'lang'pct-encoded}; malformed values are returned as they are. */
    static String decodeExtValue(String s) {
        int q1 = s.indexOf('\'');
        int q2 = q1 < 0 ? -1 : s.indexOf('\'', q1 + 1);
        if (q2 < 0) {
            return s;
        }
        byte[] raw = s.substring(q2 + 1).getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[raw.length];
        int n = 0;
        for (int i = 0; i < raw.length; i++) {
            int hi = i + 2 < raw.length && raw[i] == '%' ? Ascii.hexValue(raw[i + 1]) : -1;
            int lo = hi >= 0 ? Ascii.hexValue(raw[i + 2]) : -1;
            if (lo >= 0) {
                buf[n++] = (byte) ((hi << 4) | lo);
                i += 2;
            } else {
                buf[n++] = raw[i];
            }
        }
        return new String(buf, 0, n, charset(s.substring(0, q1), StandardCharsets.UTF_8));
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

    /** Header text: browsers send raw UTF-8 in file names; invalid bytes become U+FFFD, never an error. */
    private String text(int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static ServletException malformed(String what) {
        return new ServletException("malformed multipart/form-data body: " + what);
    }
}

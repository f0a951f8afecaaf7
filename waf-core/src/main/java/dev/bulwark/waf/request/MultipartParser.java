package dev.bulwark.waf.request;

import dev.bulwark.waf.internal.Ascii;
import dev.bulwark.waf.transform.Utf8Lenient;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code multipart/form-data} parser over a buffered body. One forward pass: delimiters are only
 * looked for at line starts and each comparison stops at the first mismatching byte (a delimiter
 * contains no LF), so the work is linear in the body. One instance per parse.
 */
final class MultipartParser {

    /** More header lines than this in one part is not a browser and is flagged. */
    static final int MAX_HEADERS_PER_PART = 64;

    private static final int NONE = 0;
    private static final int PART = 1;
    private static final int FINAL = 2;
    private static final int UNMATCHED = 3;

    private static final int TERM_NONE = 0;
    private static final int TERM_CRLF = 1;
    private static final int TERM_LF = 2;

    private final byte[] b;
    private final int start;
    private final int end;
    private final byte[] delimiter;
    private final ParsedBody.Builder out;
    private final List<Field> fields = new ArrayList<>();

    /** Set by {@link #matchDelimiter}: index just past the delimiter line and its terminator. */
    private int afterLine;
    /** Set by {@link #matchDelimiter}: how the delimiter line ended. */
    private int delimiterTerm;
    private boolean sawCrlf;
    private boolean sawLf;

    private record Field(String name, int from, int to, String charset) {
    }

    private record Disposition(String name, String fileName) {
    }

    /** A part header; the value is a builder because folded lines append to it. */
    private record Header(String name, StringBuilder value) {
    }

    private MultipartParser(byte[] b, int offset, int length, String boundary, ParsedBody.Builder out) {
        this.b = b;
        this.start = offset;
        this.end = offset + length;
        this.delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.out = out;
    }

    static void parse(String contentType, byte[] b, int offset, int length, ParsedBody.Builder out) {
        String boundary = boundary(contentType, out);
        if (boundary == null) {
            return;
        }
        MultipartParser p = new MultipartParser(b, offset, length, boundary, out);
        p.run();
        p.emitFields();
        if (p.sawLf) {
            out.flag(ParsedBody.FLAG_LF_LINE);
            if (p.sawCrlf) {
                out.flag(ParsedBody.FLAG_CRLF_LF_LINES);
            }
        }
    }

    // ---------------------------------------------------------------- boundary from Content-Type

    /** The boundary parameter of {@code contentType}, or null (with flags/error set). */
    static String boundary(String ct, ParsedBody.Builder out) {
        int n = ct == null ? 0 : ct.length();
        int i = ct == null ? -1 : ct.indexOf(';');
        if (i < 0) {
            out.flagError(ParsedBody.FLAG_BOUNDARY_MISSING, "multipart: no boundary in Content-Type");
            return null;
        }
        String found = null;
        int count = 0;
        while (i < n) {
            i++; // past ';'
            while (i < n && isSpace(ct.charAt(i))) {
                i++;
            }
            int ns = i;
            while (i < n && ct.charAt(i) != '=' && ct.charAt(i) != ';') {
                i++;
            }
            String rawName = ct.substring(ns, i);
            String name = trimSpace(rawName);
            boolean isBoundary = asciiEqualsIgnoreCase(name, "boundary");
            if (i >= n || ct.charAt(i) == ';') {
                if (isBoundary) {
                    count++;
                    out.flagError(ParsedBody.FLAG_BOUNDARY_INVALID, "multipart: boundary without value");
                }
                continue;
            }
            i++; // past '='
            boolean ws = rawName.length() != name.length();
            while (i < n && isSpace(ct.charAt(i))) {
                ws = true;
                i++;
            }
            String value;
            if (i < n && ct.charAt(i) == '"') {
                int close = ct.indexOf('"', i + 1);
                if (close < 0) {
                    if (isBoundary) {
                        out.flagError(ParsedBody.FLAG_INVALID_QUOTING, "multipart: unterminated quoted boundary");
                    }
                    value = ct.substring(i + 1);
                    i = n;
                } else {
                    value = ct.substring(i + 1, close);
                    i = close + 1;
                    while (i < n && ct.charAt(i) != ';') {
                        if (isBoundary && !isSpace(ct.charAt(i))) {
                            out.flag(ParsedBody.FLAG_INVALID_QUOTING);
                        }
                        i++;
                    }
                }
                if (isBoundary) {
                    out.flag(ParsedBody.FLAG_BOUNDARY_QUOTED);
                }
            } else {
                int vs = i;
                while (i < n && ct.charAt(i) != ';') {
                    i++;
                }
                String raw = ct.substring(vs, i);
                value = trimSpace(raw);
                if (isBoundary && value.length() != raw.length()) {
                    ws = true;
                }
                if (isBoundary && (value.indexOf('\'') >= 0 || value.indexOf('"') >= 0)) {
                    out.flagError(ParsedBody.FLAG_INVALID_QUOTING, "multipart: quote in boundary");
                }
            }
            if (!isBoundary) {
                continue;
            }
            count++;
            if (ws) {
                out.flag(ParsedBody.FLAG_BOUNDARY_WHITESPACE);
            }
            if (found == null) {
                found = value;
            }
        }
        if (count == 0) {
            out.flagError(ParsedBody.FLAG_BOUNDARY_MISSING, "multipart: no boundary in Content-Type");
            return null;
        }
        if (count > 1) {
            out.flagError(ParsedBody.FLAG_BOUNDARY_INVALID, "multipart: several boundary parameters");
            return null;
        }
        if (found == null || found.isEmpty()) {
            out.flagError(ParsedBody.FLAG_BOUNDARY_INVALID, "multipart: empty boundary");
            return null;
        }
        for (int k = 0; k < found.length(); k++) {
            char c = found.charAt(k);
            if (c == ' ') {
                out.flag(ParsedBody.FLAG_BOUNDARY_WHITESPACE);
            } else if (c < 0x21 || c > 0x7E || c == '"') {
                out.flagError(ParsedBody.FLAG_BOUNDARY_INVALID, "multipart: invalid character in boundary");
                return null;
            } else if (!isBchar(c)) {
                out.flag(ParsedBody.FLAG_BOUNDARY_INVALID); // parsable, but not RFC 2046: parsers differ
            }
        }
        if (found.length() > 70) {
            out.flag(ParsedBody.FLAG_BOUNDARY_INVALID);
        }
        return found;
    }

    /** RFC 2046 {@code bcharsnospace}: digits, letters and {@code '()+_,-./:=?}. */
    private static boolean isBchar(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                || "'()+_,-./:=?".indexOf(c) >= 0;
    }

    // ---------------------------------------------------------------- body

    private void run() {
        int ls = start;
        int kind = NONE;
        while (ls < end) {
            kind = matchDelimiter(ls);
            if (kind == PART || kind == FINAL) {
                break;
            }
            if (kind == UNMATCHED) {
                out.flag(ParsedBody.FLAG_UNMATCHED_BOUNDARY);
            }
            kind = NONE;
            ls = nextLine(ls);
        }
        if (kind == NONE) {
            out.flagError(ParsedBody.FLAG_BOUNDARY_MISSING, "multipart: boundary not found in body");
            return;
        }
        for (int k = start; k < ls; k++) {
            if (b[k] != '\r' && b[k] != '\n') {
                out.flag(ParsedBody.FLAG_DATA_BEFORE);
                break;
            }
        }
        int parts = 0;
        while (true) {
            // Here a delimiter of `kind` starts at `ls` and afterLine/delimiterTerm describe it.
            noteTerm(delimiterTerm);
            if (kind == FINAL) {
                epilogue(afterLine);
                return;
            }
            if (++parts > out.limits.maxParts()) {
                out.limitExceeded = true;
                return;
            }
            List<Header> headers = new ArrayList<>();
            int contentStart = readHeaders(afterLine, headers);
            if (contentStart == -1) {
                return;
            }
            if (contentStart < -1) {
                // A delimiter came before the blank line: the part has no body; go on from it.
                ls = -contentStart - 2;
                kind = matchDelimiter(ls);
                continue;
            }
            int next = contentStart;
            int nextKind = NONE;
            while (next < end) {
                nextKind = matchDelimiter(next);
                if (nextKind == PART || nextKind == FINAL) {
                    break;
                }
                if (nextKind == UNMATCHED) {
                    out.flag(ParsedBody.FLAG_UNMATCHED_BOUNDARY);
                }
                nextKind = NONE;
                next = nextLine(next);
            }
            if (nextKind == NONE) {
                emitPart(headers, contentStart, end);
                out.flagError(ParsedBody.FLAG_FINAL_BOUNDARY_MISSING, "multipart: final boundary missing");
                return;
            }
            int contentEnd = next;
            if (next > contentStart && b[next - 1] == '\n') {
                if (next - 1 > contentStart && b[next - 2] == '\r') {
                    contentEnd = next - 2;
                    sawCrlf = true;
                } else {
                    contentEnd = next - 1;
                    sawLf = true;
                }
            }
            emitPart(headers, contentStart, contentEnd);
            ls = next;
            kind = matchDelimiter(ls);
        }
    }

    /** Index just past the next LF at or after {@code p}, or {@code end}. */
    private int nextLine(int p) {
        while (p < end && b[p] != '\n') {
            p++;
        }
        return p < end ? p + 1 : end;
    }

    /** Classifies the line starting at {@code p}; sets afterLine/delimiterTerm for delimiters. */
    private int matchDelimiter(int p) {
        if (end - p < delimiter.length) {
            return NONE;
        }
        for (int k = 0; k < delimiter.length; k++) {
            if (b[p + k] != delimiter[k]) {
                return NONE;
            }
        }
        int q = p + delimiter.length;
        int kind = PART;
        if (q + 1 < end && b[q] == '-' && b[q + 1] == '-') {
            kind = FINAL;
            q += 2;
        } else if (end - q == 1 && (b[q] == '-' || b[q] == '\r')) {
            // "--boundary-" or "--boundary\r" at the very end: a delimiter line cut short (an
            // inspection limit), not a look-alike; what follows is missing either way.
            afterLine = end;
            delimiterTerm = TERM_NONE;
            return PART;
        }
        int padStart = q;
        while (q < end && (b[q] == ' ' || b[q] == '\t')) {
            q++;
        }
        if (q > padStart) {
            out.flag(ParsedBody.FLAG_TRANSPORT_PADDING);
        }
        if (q == end) {
            afterLine = end;
            delimiterTerm = TERM_NONE;
        } else if (b[q] == '\r' && q + 1 < end && b[q + 1] == '\n') {
            afterLine = q + 2;
            delimiterTerm = TERM_CRLF;
        } else if (b[q] == '\n') {
            afterLine = q + 1;
            delimiterTerm = TERM_LF;
        } else if (kind == FINAL) {
            // "--boundary--junk": treat as the end; epilogue() flags the junk as data after.
            afterLine = q;
            delimiterTerm = TERM_NONE;
        } else {
            return UNMATCHED;
        }
        return kind;
    }

    private void noteTerm(int term) {
        if (term == TERM_CRLF) {
            sawCrlf = true;
        } else if (term == TERM_LF) {
            sawLf = true;
        }
    }

    private void epilogue(int p) {
        for (int k = p; k < end; k++) {
            byte c = b[k];
            if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
                out.flag(ParsedBody.FLAG_DATA_AFTER);
                return;
            }
        }
    }

    /**
     * Reads part headers from {@code p} into {@code headers}. Returns the content start; -1 when
     * the body ended inside the headers (parsing stops); {@code -(delimiterStart + 2)} when a
     * delimiter line came before the blank line.
     */
    private int readHeaders(int p, List<Header> headers) {
        int ls = p;
        while (true) {
            if (ls >= end) {
                // The body ended (or was cut at the inspection limit): no defect of the part itself.
                out.flagError(ParsedBody.FLAG_FINAL_BOUNDARY_MISSING, "multipart: part headers not terminated");
                return -1;
            }
            int kind = matchDelimiter(ls);
            if (kind == PART || kind == FINAL) {
                out.flagError(ParsedBody.FLAG_INVALID_PART, "multipart: part without blank line after headers");
                return -(ls + 2);
            }
            int nl = ls;
            while (nl < end && b[nl] != '\n') {
                nl++;
            }
            if (nl == end) {
                // The body ended (or was cut at the inspection limit): no defect of the part itself.
                out.flagError(ParsedBody.FLAG_FINAL_BOUNDARY_MISSING, "multipart: part headers not terminated");
                return -1;
            }
            int lineEnd = nl;
            if (lineEnd > ls && b[lineEnd - 1] == '\r') {
                lineEnd--;
                sawCrlf = true;
            } else {
                sawLf = true;
            }
            if (lineEnd == ls) {
                return nl + 1;
            }
            if (b[ls] == ' ' || b[ls] == '\t') {
                if (headers.isEmpty()) {
                    out.flagError(ParsedBody.FLAG_INVALID_HEADER_FOLDING,
                            "multipart: folded line before any part header");
                } else {
                    out.flag(ParsedBody.FLAG_HEADER_FOLDING);
                    headers.get(headers.size() - 1).value().append(' ')
                            .append(trimSpace(Utf8Lenient.decode(b, ls, lineEnd - ls)));
                }
            } else {
                int colon = ls;
                while (colon < lineEnd && b[colon] != ':') {
                    colon++;
                }
                if (colon == lineEnd) {
                    out.flagError(ParsedBody.FLAG_INVALID_PART, "multipart: part header without colon");
                } else if (headers.size() >= MAX_HEADERS_PER_PART) {
                    out.flagError(ParsedBody.FLAG_INVALID_PART, "multipart: too many part headers");
                } else {
                    if (!isToken(b, ls, colon)) {
                        // "Content-Disposition :" or a non-ASCII name: some parsers trim, some drop the header.
                        out.flag(ParsedBody.FLAG_INVALID_PART);
                    }
                    String name = trimSpace(Utf8Lenient.decode(b, ls, colon - ls));
                    String value = trimSpace(Utf8Lenient.decode(b, colon + 1, lineEnd - colon - 1));
                    headers.add(new Header(name, new StringBuilder(value)));
                }
            }
            ls = nl + 1;
        }
    }

    private void emitPart(List<Header> headers, int from, int to) {
        String disposition = null;
        String contentType = null;
        Set<String> seen = new HashSet<>();
        for (Header header : headers) {
            if (!seen.add(Ascii.lower(header.name()))) {
                // Parsers keep the first, the last or both of a repeated header.
                out.flag(ParsedBody.FLAG_INVALID_PART);
            }
        }
        List<Map.Entry<String, String>> pairs = out.slices == null ? null : new ArrayList<>(headers.size());
        for (Header header : headers) {
            String[] h = {header.name(), header.value().toString()};
            out.partHeaders.add(h[0] + ": " + h[1]);
            if (pairs != null) {
                pairs.add(Map.entry(h[0], h[1]));
            }
            if (asciiEqualsIgnoreCase(h[0], "Content-Disposition")) {
                if (disposition != null) {
                    out.flagError(ParsedBody.FLAG_INVALID_PART, "multipart: repeated Content-Disposition");
                } else {
                    disposition = h[1];
                }
            } else if (asciiEqualsIgnoreCase(h[0], "Content-Transfer-Encoding")) {
                String cte = Ascii.lower(trimSpace(h[1]));
                if (!cte.equals("binary") && !cte.equals("8bit") && !cte.equals("7bit")) {
                    // base64/quoted-printable: some parsers decode the part, the WAF does not.
                    out.flag(ParsedBody.FLAG_INVALID_PART);
                }
            } else if (asciiEqualsIgnoreCase(h[0], "Content-Type")) {
                if (contentType != null) {
                    out.flagError(ParsedBody.FLAG_INVALID_PART, "multipart: repeated part Content-Type");
                } else {
                    contentType = h[1];
                }
            }
        }
        if (disposition == null) {
            out.flagError(ParsedBody.FLAG_INVALID_PART, "multipart: part without Content-Disposition");
            return;
        }
        Disposition d = parseDisposition(disposition);
        if (d == null) {
            return;
        }
        if (out.slices != null) {
            out.slices.add(new MultipartParts.Part(d.name(), d.fileName(), contentType, pairs, from, to));
        }
        if (d.fileName() != null && d.fileName().isEmpty() && to > from) {
            // Browsers send filename="" only for an empty file input, with no content. Content
            // here is a file part to Jetty and Tomcat but was never a field the WAF inspected.
            out.flag(ParsedBody.FLAG_INVALID_PART);
        }
        if (d.fileName() != null) {
            out.files.add(new UploadedFile(d.name(), d.fileName(), contentType == null ? "" : contentType,
                    to - from));
        } else {
            fields.add(new Field(d.name(), from, to, contentType == null ? null : param(contentType, "charset")));
        }
    }

    /** Field values are decoded last so that a {@code _charset_} field anywhere applies to all. */
    private void emitFields() {
        String defaultCharset = null;
        for (Field f : fields) {
            if (f.name().equals("_charset_")) {
                defaultCharset = trimSpace(Utf8Lenient.decode(b, f.from(), f.to() - f.from()));
                break;
            }
        }
        for (Field f : fields) {
            String cs = f.charset() != null ? f.charset() : defaultCharset;
            if (!out.arg(f.name(), decode(b, f.from(), f.to(), cs))) {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- Content-Disposition

    private Disposition parseDisposition(String v) {
        int n = v.length();
        int i = skipSpace(v, 0);
        if (!(i + 9 <= n && asciiEqualsIgnoreCase(v.substring(i, i + 9), "form-data"))
                || (i + 9 < n && v.charAt(i + 9) != ';' && !isSpace(v.charAt(i + 9)))) {
            out.flagError(ParsedBody.FLAG_INVALID_PART, "multipart: Content-Disposition is not form-data");
            return null;
        }
        i += 9;
        String name = null;
        String fileName = null;
        String fileNameExt = null;
        while (true) {
            i = skipSpace(v, i);
            if (i >= n) {
                break;
            }
            if (v.charAt(i) == ';') {
                i++;
            } else {
                out.flag(ParsedBody.FLAG_MISSING_SEMICOLON);
            }
            i = skipSpace(v, i);
            if (i >= n) {
                break;
            }
            int ns = i;
            while (i < n && v.charAt(i) != '=' && v.charAt(i) != ';' && !isSpace(v.charAt(i))) {
                i++;
            }
            String pname = Ascii.lower(v.substring(ns, i));
            int beforeEq = i;
            i = skipSpace(v, i);
            if (i >= n || v.charAt(i) != '=') {
                out.flagError(ParsedBody.FLAG_INVALID_PART, "multipart: Content-Disposition parameter without value");
                continue;
            }
            int eq = i;
            i = skipSpace(v, i + 1);
            if (eq != beforeEq || i != eq + 1) {
                out.flag(ParsedBody.FLAG_INVALID_PARAMETER); // "name = x": some parsers do not trim
            }
            boolean escaped = false;
            String value;
            if (i < n && v.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                boolean closed = false;
                i++;
                while (i < n) {
                    char c = v.charAt(i);
                    // Only \" and \\ are escapes: old browsers send Windows paths with bare backslashes.
                    if (c == '\\' && i + 1 < n && (v.charAt(i + 1) == '"' || v.charAt(i + 1) == '\\')) {
                        escaped = true;
                        sb.append(v.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    if (c == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    sb.append(c);
                    i++;
                }
                if (!closed) {
                    out.flagError(ParsedBody.FLAG_INVALID_QUOTING, "multipart: unterminated quoted parameter");
                }
                value = sb.toString();
            } else {
                if (i < n && v.charAt(i) == '\'') {
                    out.flag(ParsedBody.FLAG_INVALID_QUOTING);
                }
                int vs = i;
                while (i < n && v.charAt(i) != ';' && !isSpace(v.charAt(i))) {
                    i++;
                }
                value = v.substring(vs, i);
                if (value.indexOf('"') >= 0) {
                    out.flag(ParsedBody.FLAG_INVALID_QUOTING);
                }
            }
            // Browsers write '"' in names as %22 and never escape: parsers that do not unescape read
            // another name. In file names "\\" is a UNC path, so only an escaped quote counts there.
            if (pname.equals("name") && (escaped || value.indexOf('\\') >= 0)
                    || pname.equals("filename") && escaped && value.indexOf('"') >= 0) {
                out.flag(ParsedBody.FLAG_INVALID_QUOTING);
            }
            switch (pname) {
                case "name":
                    if (name != null) {
                        out.flagError(ParsedBody.FLAG_INVALID_PART, "multipart: repeated name parameter");
                    } else {
                        name = value;
                    }
                    break;
                case "filename":
                    if (fileName != null) {
                        out.flagError(ParsedBody.FLAG_INVALID_PART, "multipart: repeated filename parameter");
                    } else {
                        fileName = value;
                    }
                    break;
                case "filename*":
                    out.flag(ParsedBody.FLAG_INVALID_PARAMETER);
                    if (fileNameExt != null) {
                        out.flagError(ParsedBody.FLAG_INVALID_PART, "multipart: repeated filename* parameter");
                    } else {
                        fileNameExt = value;
                    }
                    break;
                default:
                    // name* (RFC 5987) is read by some frameworks as the field name; any other
                    // parameter is outside RFC 7578 and may mean something to some parser.
                    out.flag(ParsedBody.FLAG_INVALID_PARAMETER);
                    break;
            }
        }
        if (name == null) {
            out.flagError(ParsedBody.FLAG_INVALID_PART, "multipart: Content-Disposition without name");
            return null;
        }
        if (fileNameExt != null) {
            fileName = decodeExtValue(fileNameExt);
        }
        return new Disposition(name, fileName);
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
            if (raw[i] == '%' && i + 2 < raw.length && UrlEncoded.hex(raw[i + 1]) >= 0
                    && UrlEncoded.hex(raw[i + 2]) >= 0) {
                buf[n++] = (byte) ((UrlEncoded.hex(raw[i + 1]) << 4) | UrlEncoded.hex(raw[i + 2]));
                i += 2;
            } else {
                buf[n++] = raw[i];
            }
        }
        return decode(buf, 0, n, s.substring(0, q1));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Decodes with the declared charset only when it is ASCII-compatible: a part that claims
     * UTF-16 (or EBCDIC, UTF-7...) would otherwise turn an ASCII payload into text no rule
     * matches while a backend that ignores part charsets reads the payload as is.
     */
    static String decode(byte[] b, int from, int to, String charset) {
        if (charset != null && !charset.isEmpty()) {
            try {
                Charset cs = Charset.forName(charset);
                String canonical = cs.name();
                if (canonical.equals("US-ASCII") || canonical.startsWith("ISO-8859-")
                        || canonical.startsWith("windows-125")) {
                    return new String(b, from, to - from, cs);
                }
            } catch (RuntimeException e) {
                // Unknown or illegal charset name: fall back to lenient UTF-8.
            }
        }
        return Utf8Lenient.decode(b, from, to - from);
    }

    /** The value of parameter {@code name} in a header value like {@code text/plain; charset=x}. */
    static String param(String headerValue, String name) {
        int n = headerValue.length();
        int i = headerValue.indexOf(';');
        while (i >= 0 && i < n) {
            int next = headerValue.indexOf(';', i + 1);
            int segEnd = next < 0 ? n : next;
            int eq = i + 1;
            while (eq < segEnd && headerValue.charAt(eq) != '=') {
                eq++;
            }
            if (eq < segEnd && asciiEqualsIgnoreCase(trimSpace(headerValue.substring(i + 1, eq)), name)) {
                String v = trimSpace(headerValue.substring(eq + 1, segEnd));
                if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
            i = next;
        }
        return null;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** Whether {@code b[from, to)} is a non-empty RFC 9110 token. */
    private static boolean isToken(byte[] b, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int k = from; k < to; k++) {
            int c = b[k] & 0xFF;
            if (c <= 0x20 || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    static String trimSpace(String s) {
        int a = 0;
        int z = s.length();
        while (a < z && isSpace(s.charAt(a))) {
            a++;
        }
        while (z > a && isSpace(s.charAt(z - 1))) {
            z--;
        }
        return s.substring(a, z);
    }

    /** Case-insensitive for ASCII letters only, so U+017F or U+212A never pass for 's' or 'k'. */
    static boolean asciiEqualsIgnoreCase(String a, String b) {
        return a.length() == b.length() && Ascii.lower(a).equals(Ascii.lower(b));
    }

}

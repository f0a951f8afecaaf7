package dev.bulwark.waf.differential;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The application of the differential suite, deployed unchanged in Jetty and in Tomcat: records
 * every value a typical application can read from a request, as the container hands it over.
 *
 * <p>A container parses a form or multipart body for the parameters or lets the application read
 * it, not both; so each server listens on two ports and the port decides. On the parameter port
 * the servlet calls {@code getParameterMap()} and {@code getParts()}; on the body port it reads
 * the body, as an application that parses the body itself does (JSON, text, its own form or
 * multipart parser), and derives what such an application would decode from it: a lenient JSON
 * parse (NaN, comments, single quotes, ... as Python's json or JSON5 accept), a form decode, and
 * the decompressed body where {@code Content-Encoding} says gzip or deflate. Both ports record the
 * path, the request URI and query (raw and decoded), and every header and trailer.
 */
final class ViewServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final int MAX_BODY = 8 << 20;
    private static final JsonFactory LENIENT_JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_JAVA_COMMENTS,
                    JsonReadFeature.ALLOW_YAML_COMMENTS, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_MISSING_VALUES,
                    JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER, JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
                    JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS, JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
            .build();

    private final transient Consumer<AppView.Builder> sink;
    private final transient IntPredicate isBodyPort;
    private final String server;

    ViewServlet(String server, IntPredicate isBodyPort, Consumer<AppView.Builder> sink) {
        this.server = server;
        this.isBodyPort = isBodyPort;
        this.sink = sink;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        AppView.Builder v = new AppView.Builder(server);
        try {
            v.add("path", nullToEmpty(req.getServletPath()) + nullToEmpty(req.getPathInfo()));
        } catch (RuntimeException e) {
            v.error("path", e);
        }
        String uri = req.getRequestURI();
        v.add("uri", uri);
        v.add("uri-decoded", Decode.percent(uri, StandardCharsets.UTF_8, false));
        String query = req.getQueryString();
        if (query != null) {
            v.add("query", query);
            v.add("query-decoded", Decode.percent(query, StandardCharsets.UTF_8, true));
        }
        recordHeaders(req, v);
        if (isBodyPort.test(req.getLocalPort())) {
            readBody(req, v);
        } else {
            readParameters(req, v);
        }
        try {
            if (req.isTrailerFieldsReady()) {
                for (Map.Entry<String, String> t : req.getTrailerFields().entrySet()) {
                    v.add("trailer:" + t.getKey(), t.getValue());
                }
            }
        } catch (RuntimeException e) {
            v.error("trailers", e);
        }
        sink.accept(v); // before answering: the client reads the view once it has the response
        resp.setStatus(200);
        resp.setContentType("text/plain");
        resp.setContentLength(2);
        resp.getOutputStream().write(new byte[] {'o', 'k'});
    }

    /** Header names and values, the decoded Basic credentials and the container's cookies. */
    private static void recordHeaders(HttpServletRequest req, AppView.Builder v) {
        for (String name : Collections.list(req.getHeaderNames())) {
            v.add("header-name", name);
            for (String value : Collections.list(req.getHeaders(name))) {
                v.add("header:" + name, value);
            }
        }
        String auth = req.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                v.add("auth-basic", new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                v.error("auth-basic", e);
            }
        }
        try {
            Cookie[] cookies = req.getCookies();
            for (Cookie c : cookies == null ? new Cookie[0] : cookies) {
                v.add("cookie-name", c.getName());
                v.add("cookie:" + c.getName(), c.getValue());
                // frameworks commonly URL-decode cookie values (Express, Spring's CookieValue with decoding)
                v.add("cookie-decoded:" + c.getName(), Decode.percent(c.getValue(), StandardCharsets.UTF_8, false));
            }
        } catch (RuntimeException e) {
            v.error("cookies", e);
        }
    }

    private static void readParameters(HttpServletRequest req, AppView.Builder v) {
        try {
            for (Map.Entry<String, String[]> p : req.getParameterMap().entrySet()) {
                v.add("param-name", p.getKey());
                for (String value : p.getValue()) {
                    v.add("param:" + p.getKey(), value);
                }
            }
        } catch (RuntimeException e) {
            v.error("parameters", e);
        }
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return;
        }
        try {
            for (Part part : req.getParts()) {
                v.add("part-name", part.getName());
                if (part.getSubmittedFileName() != null) {
                    v.add("part-filename", part.getSubmittedFileName());
                }
                for (String h : part.getHeaderNames()) {
                    for (String value : part.getHeaders(h)) {
                        v.add("part-header:" + h, value);
                    }
                }
                byte[] content;
                try (InputStream in = part.getInputStream()) {
                    content = in.readNBytes(MAX_BODY);
                }
                v.add("part:" + part.getName(), new String(content, StandardCharsets.UTF_8));
                Charset cs = Decode.charsetOf(part.getContentType());
                if (cs != null && !cs.equals(StandardCharsets.UTF_8)) {
                    v.add("part(" + cs.name() + "):" + part.getName(), new String(content, cs));
                }
                // What a MIME-aware parser (Go's mime/multipart for quoted-printable, mail
                // libraries for both) hands the application instead of the raw part.
                String cte = part.getHeader("Content-Transfer-Encoding");
                if (cte != null) {
                    String decoded = Decode.transferEncoding(cte, content);
                    if (decoded != null) {
                        v.add("part-cte:" + part.getName(), decoded);
                    }
                }
            }
        } catch (IOException | jakarta.servlet.ServletException | RuntimeException e) {
            v.error("parts", e);
        }
    }

    private static void readBody(HttpServletRequest req, AppView.Builder v) {
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(MAX_BODY);
        } catch (IOException | RuntimeException e) {
            v.error("body", e);
            return;
        }
        Charset declared = null;
        try {
            String enc = req.getCharacterEncoding();
            declared = enc == null ? null : Charset.forName(enc);
        } catch (RuntimeException e) {
            v.error("charset", e);
        }
        bodyViews("body", body, declared, v);
        List<String> codings = new ArrayList<>();
        for (String h : Collections.list(req.getHeaders("Content-Encoding"))) {
            for (String token : h.split(",")) {
                if (!token.isBlank()) {
                    codings.add(token.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        // Like a decompressing filter: undo the codings last-applied first.
        byte[] decoded = body;
        boolean changed = false;
        for (int i = codings.size() - 1; i >= 0 && decoded != null; i--) {
            decoded = Decode.inflate(codings.get(i), decoded, MAX_BODY);
            changed = true;
        }
        if (changed && decoded != null) {
            bodyViews("body-inflated", decoded, declared, v);
        }
    }

    private static void bodyViews(String label, byte[] body, Charset declared, AppView.Builder v) {
        String text = new String(body, StandardCharsets.UTF_8);
        v.add(label, text);
        if (declared != null && !declared.equals(StandardCharsets.UTF_8)) {
            v.add(label + "(" + declared.name() + ")", new String(body, declared));
        }
        String trimmed = text.stripLeading().replace("\uFEFF", "");
        // JSON-looking: an object or array, a leading comment (JSON5, Python's json with comments
        // stripped), or UTF-16/32 (a zero byte up front; the parser detects the encoding)
        boolean json = !trimmed.isEmpty() && "{[/#".indexOf(trimmed.charAt(0)) >= 0;
        if (json || body.length > 1 && (body[0] == 0 || body[1] == 0)) {
            lenientJson(label + "-json", body, v);
        } else {
            for (Charset cs : declared == null || declared.equals(StandardCharsets.UTF_8)
                    ? List.of(StandardCharsets.UTF_8) : List.of(StandardCharsets.UTF_8, declared)) {
                for (String pair : text.split("[&;]")) {
                    int eq = pair.indexOf('=');
                    String name = eq < 0 ? pair : pair.substring(0, eq);
                    v.add(label + "-form-name", Decode.percent(name, cs, true));
                    if (eq >= 0) {
                        v.add(label + "-form:" + name, Decode.percent(pair.substring(eq + 1), cs, true));
                    }
                }
            }
        }
    }

    /** Every name and string a lenient JSON parser reads before it gives up (encoding auto-detected). */
    private static void lenientJson(String label, byte[] body, AppView.Builder v) {
        try (JsonParser p = LENIENT_JSON.createParser(new ByteArrayInputStream(body))) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || t == JsonToken.VALUE_STRING) {
                    v.add(label, p.getText());
                }
            }
        } catch (IOException | RuntimeException e) {
            v.error(label, e);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Decoders an application would apply. */
    static final class Decode {
        private Decode() {
        }

        /** Percent-decoding to bytes then to text in {@code cs}; bad escapes are kept literally. */
        static String percent(String s, Charset cs, boolean plusIsSpace) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '%' && i + 2 < s.length()
                        && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                } else if (c == '+' && plusIsSpace) {
                    out.write(' ');
                } else {
                    out.writeBytes(String.valueOf(c).getBytes(cs));
                }
            }
            return out.toString(cs);
        }

        static Charset charsetOf(String contentType) {
            if (contentType == null) {
                return null;
            }
            for (String param : contentType.split(";")) {
                String p = param.trim();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    try {
                        return Charset.forName(p.substring(8).replace("\"", "").trim());
                    } catch (RuntimeException e) {
                        return null;
                    }
                }
            }
            return null;
        }

        static String transferEncoding(String cte, byte[] content) {
            String ascii = new String(content, StandardCharsets.ISO_8859_1);
            switch (cte.trim().toLowerCase(Locale.ROOT)) {
                case "base64":
                    try {
                        return new String(Base64.getMimeDecoder().decode(ascii), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                case "quoted-printable": {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    for (int i = 0; i < ascii.length(); i++) {
                        char c = ascii.charAt(i);
                        if (c == '=' && i + 2 < ascii.length()
                                && Character.digit(ascii.charAt(i + 1), 16) >= 0 && Character.digit(ascii.charAt(i + 2), 16) >= 0) {
                            out.write(Integer.parseInt(ascii.substring(i + 1, i + 3), 16));
                            i += 2;
                        } else if (c == '=' && i + 1 < ascii.length() && (ascii.charAt(i + 1) == '\r' || ascii.charAt(i + 1) == '\n')) {
                            i += ascii.charAt(i + 1) == '\r' && i + 2 < ascii.length() && ascii.charAt(i + 2) == '\n' ? 2 : 1;
                        } else {
                            out.write(c);
                        }
                    }
                    return out.toString(StandardCharsets.UTF_8);
                }
                default:
                    return null;
            }
        }

        /** One content coding undone, at most {@code max} bytes out; null if it is not that coding. */
        static byte[] inflate(String coding, byte[] in, int max) {
            try {
                InputStream s;
                switch (coding) {
                    case "gzip", "x-gzip" -> s = new GZIPInputStream(new ByteArrayInputStream(in));
                    case "deflate" -> {
                        // zlib-wrapped per RFC 9110, though some clients send raw deflate
                        boolean zlib = in.length > 1 && (in[0] & 0x0f) == 8 && ((in[0] & 0xff) << 8 | (in[1] & 0xff)) % 31 == 0;
                        s = new InflaterInputStream(new ByteArrayInputStream(in), new Inflater(!zlib));
                    }
                    case "identity" -> {
                        return in;
                    }
                    default -> {
                        return null;
                    }
                }
                try (s) {
                    return s.readNBytes(max);
                }
            } catch (IOException e) {
                return null;
            }
        }
    }
}

package dev.bulwark.waf.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.waf.Transaction;
import dev.bulwark.waf.Verdict;
import dev.bulwark.waf.Waf;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A small request description used by the rule test data: method, uri, headers, and one of
 * {@code args} (query), {@code form} (urlencoded body), {@code json}, {@code body} +
 * {@code contentType}, or {@code fileName} (a multipart upload of one file with that name). {@link #run(Waf)} drives it through a transaction's request phases.
 */
final class RequestSpec {

    static final String BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    final String method;
    final String uri;
    final List<Map.Entry<String, String>> headers = new ArrayList<>();
    final byte[] body;
    final String label;

    private RequestSpec(String method, String uri, byte[] body, String label) {
        this.method = method;
        this.uri = uri;
        this.body = body;
        this.label = label;
    }

    static RequestSpec from(JsonNode n) {
        String uri = text(n, "uri", "/");
        JsonNode args = n.get("args");
        if (args != null) {
            uri = uri + (uri.indexOf('?') < 0 ? "?" : "&") + encode(args);
        }
        byte[] body = null;
        String contentType = text(n, "contentType", null);
        if (n.has("form")) {
            body = encode(n.get("form")).getBytes(StandardCharsets.UTF_8);
            contentType = contentType == null ? "application/x-www-form-urlencoded" : contentType;
        } else if (n.has("json")) {
            JsonNode j = n.get("json");
            body = (j.isTextual() ? j.asText() : j.toString()).getBytes(StandardCharsets.UTF_8);
            contentType = contentType == null ? "application/json" : contentType;
        } else if (n.has("body")) {
            body = n.get("body").asText().getBytes(StandardCharsets.UTF_8);
        } else if (n.has("fileName")) {
            body = upload(n.get("fileName").asText()).getBytes(StandardCharsets.UTF_8);
            contentType = "multipart/form-data; boundary=" + UPLOAD_BOUNDARY;
        }
        String method = text(n, "method", body == null ? "GET" : "POST");
        RequestSpec spec = new RequestSpec(method, uri, body, summary(n));
        boolean hasHost = false;
        boolean hasUa = false;
        JsonNode h = n.get("headers");
        if (h != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                hasHost |= e.getKey().equalsIgnoreCase("host");
                hasUa |= e.getKey().equalsIgnoreCase("user-agent");
                if (!e.getValue().isNull()) {
                    spec.headers.add(Map.entry(e.getKey(), e.getValue().asText()));
                }
            }
        }
        boolean defaults = !n.has("noDefaultHeaders") || !n.get("noDefaultHeaders").asBoolean();
        if (defaults && !hasHost) {
            spec.headers.add(0, Map.entry("Host", "shop.example.com"));
        }
        if (defaults && !hasUa) {
            spec.headers.add(Map.entry("User-Agent", BROWSER_UA));
            spec.headers.add(Map.entry("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
        }
        if (contentType != null) {
            spec.headers.add(Map.entry("Content-Type", contentType));
        }
        if (body != null) {
            spec.headers.add(Map.entry("Content-Length", Integer.toString(body.length)));
        }
        return spec;
    }

    /** Runs the request phases and returns the transaction (closed) with its matches. */
    Result run(Waf waf) {
        try (Transaction tx = waf.newTransaction()) {
            tx.connection("203.0.113.7", 51234, "10.0.0.5", 8080);
            tx.requestLine(method, uri, "HTTP/1.1");
            for (Map.Entry<String, String> e : headers) {
                tx.requestHeader(e.getKey(), e.getValue());
            }
            Verdict v = tx.processRequestHeaders();
            if (!v.interrupts()) {
                if (body != null && body.length > 0) {
                    tx.requestBody(body, 0, body.length);
                }
                v = tx.processRequestBody();
            }
            Verdict detected = tx.detectedVerdict();
            return new Result(v, detected, List.copyOf(tx.matches()));
        }
    }

    record Result(Verdict verdict, Verdict detected, List<dev.bulwark.waf.RuleMatch> matches) {
        boolean hasRule(long id) {
            return matches.stream().anyMatch(m -> m.ruleId() == id);
        }

        String describe() {
            StringBuilder sb = new StringBuilder();
            for (dev.bulwark.waf.RuleMatch m : matches) {
                sb.append("\n  ").append(m.ruleId()).append(' ').append(m.variable()).append(" = ")
                        .append(m.value().length() > 120 ? m.value().substring(0, 120) + "..." : m.value());
            }
            return sb.length() == 0 ? " (no matches)" : sb.toString();
        }
    }

    @Override
    public String toString() {
        return label;
    }

    private static String encode(JsonNode map) {
        StringBuilder sb = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue().asText(), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static final String UPLOAD_BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    /**
     * A browser's upload of one small file named {@code fileName}: like Chrome and Firefox, the
     * name is sent raw in the quoted {@code filename} parameter with {@code "}, CR and LF
     * percent-encoded.
     */
    private static String upload(String fileName) {
        String quoted = fileName.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
        return "--" + UPLOAD_BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"attachment\"; filename=\"" + quoted + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + "data\r\n--" + UPLOAD_BOUNDARY + "--\r\n";
    }

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? dflt : v.asText();
    }

    private static String summary(JsonNode n) {
        String s = n.toString();
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}

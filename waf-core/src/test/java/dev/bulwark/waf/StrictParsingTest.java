package dev.bulwark.waf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strict request validation through the engine: every vector under {@code strict/} is one whole
 * request whose verdict must be a 400 deny or a pass (the benign requests real clients send).
 */
class StrictParsingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One rule on ARGS, so that a pass also shows the body was parsed and inspected. */
    static final String RULES = """
            rules:
              - id: 1
                phase: 2
                targets: [ARGS]
                operator: "@contains attack-marker"
                action: deny
            """;

    static final Waf WAF = Waf.builder().serviceLoader(false).rules("t.yaml", RULES).build();

    static Stream<Arguments> requests() {
        return load("requests.json");
    }

    static Stream<Arguments> multipart() {
        return load("multipart.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void request(String name, JsonNode v) {
        List<String[]> headers = new ArrayList<>();
        if (v.has("headers")) {
            for (JsonNode h : v.get("headers")) {
                headers.add(new String[] {h.get(0).asText(), h.get(1).asText()});
            }
        }
        String body = v.has("body") ? v.get("body").asText() : null;
        String method = v.has("method") ? v.get("method").asText() : body == null ? "GET" : "POST";
        String protocol = v.has("protocol") ? v.get("protocol").asText() : "HTTP/1.1";
        check(v, run(WAF, method, v.get("target").asText(), protocol, headers, body));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multipart")
    void multipartBody(String name, JsonNode v) {
        List<String[]> headers = List.<String[]>of(new String[] {"Content-Type", v.get("contentType").asText()});
        check(v, run(WAF, "POST", "/upload", "HTTP/1.1", headers, v.get("body").asText()));
        if (v.get("status").asInt() == 200) {
            // The same benign body carrying the marker is still inspected and denied by the rule.
            String marked = v.get("body").asText().replace("\r\n\r\n", "\r\n\r\nattack-marker ");
            Verdict d = run(WAF, "POST", "/upload", "HTTP/1.1", headers, marked);
            String raw = v.get("body").asText();
            if (!raw.contains("filename=\"") && !raw.contains("_charset_")) {
                assertEquals(403, assertInstanceOf(Verdict.Deny.class, d).status(), "marker not inspected");
            }
        }
    }

    private static void check(JsonNode v, Verdict verdict) {
        int status = v.get("status").asInt();
        if (status == 200) {
            assertFalse(verdict.interrupts(), () -> "expected pass, got " + verdict);
            return;
        }
        Verdict.Deny d = assertInstanceOf(Verdict.Deny.class, verdict);
        assertEquals(status, d.status(), d.toString());
        assertEquals(0, d.ruleId());
        if (v.has("reason")) {
            assertTrue(d.reason().contains(v.get("reason").asText()), d.reason());
        }
    }

    static Verdict run(Waf waf, String method, String target, String protocol, List<String[]> headers, String body) {
        try (Transaction tx = waf.newTransaction()) {
            tx.connection("127.0.0.1", 5555, "127.0.0.1", 8080);
            tx.requestLine(method, target, protocol);
            for (String[] h : headers) {
                tx.requestHeader(h[0], h[1]);
            }
            Verdict v = tx.processRequestHeaders();
            if (v.interrupts()) {
                return v;
            }
            if (body != null) {
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                v = tx.requestBody(b, 0, b.length);
                if (v.interrupts()) {
                    return v;
                }
            }
            return tx.processRequestBody();
        }
    }

    private static Stream<Arguments> load(String resource) {
        try (InputStream in = StrictParsingTest.class.getResourceAsStream("/strict/" + resource)) {
            List<Arguments> out = new ArrayList<>();
            for (JsonNode n : MAPPER.readTree(in)) {
                out.add(Arguments.of(n.get("name").asText(), n));
            }
            return out.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- modes and configuration

    private static final List<String[]> DUPLICATE_CT = List.of(new String[] {"Content-Type", "text/plain"},
            new String[] {"Content-Type", "application/json"});

    @Test
    void detectionOnlyRecordsTheDenialAndPasses() {
        Waf w = WAF.withMode(Mode.DETECTION_ONLY);
        try (Transaction tx = w.newTransaction()) {
            tx.requestLine("GET", "/a/..;/admin", "HTTP/1.1");
            Verdict v = tx.processRequestHeaders();
            assertFalse(v.interrupts());
            Verdict.Deny d = assertInstanceOf(Verdict.Deny.class, tx.detectedVerdict());
            assertEquals(400, d.status());
        }
    }

    @Test
    void disabledPassesEverything() {
        Waf off = Waf.builder().serviceLoader(false).rules("t.yaml", RULES).strictParsing(StrictParsing.disabled()).build();
        assertFalse(run(off, "GET", "/a/..;/admin", "HTTP/1.1", List.of(), null).interrupts());
        assertFalse(run(off, "POST", "/", "HTTP/1.1", DUPLICATE_CT, "x").interrupts());
        assertTrue(run(WAF, "POST", "/", "HTTP/1.1", DUPLICATE_CT, "x").interrupts());
    }

    @Test
    void pathParametersCanBeAllowedButNotOnDotSegments() {
        Waf allow = Waf.builder().serviceLoader(false).rules("t.yaml", RULES)
                .strictParsing(StrictParsing.defaults().withPathParameters(StrictParsing.PathParameters.ALLOW)).build();
        assertFalse(run(allow, "GET", "/admin;x=1/reports", "HTTP/1.1", List.of(), null).interrupts());
        assertTrue(run(allow, "GET", "/a/..;x=1/admin", "HTTP/1.1", List.of(), null).interrupts());
        assertTrue(run(allow, "GET", "/a/%2e%2e%3b/admin", "HTTP/1.1", List.of(), null).interrupts());
    }

    @Test
    void allowedPathParameterNamesAreConfigurable() {
        Waf w = Waf.builder().serviceLoader(false).rules("t.yaml", RULES)
                .strictParsing(StrictParsing.defaults().withAllowedPathParameters(List.of("sid"))).build();
        assertFalse(run(w, "GET", "/page;SID=1", "HTTP/1.1", List.of(), null).interrupts());
        assertTrue(run(w, "GET", "/page;jsessionid=1", "HTTP/1.1", List.of(), null).interrupts());
    }

    @Test
    void allowedCharsetsAreConfigurable() {
        Waf w = Waf.builder().serviceLoader(false).rules("t.yaml", RULES)
                .strictParsing(StrictParsing.defaults().withAllowedCharsets(List.of("UTF-8", "windows-1252"))).build();
        List<String[]> cp = List.<String[]>of(new String[] {"Content-Type", "text/plain; charset=Windows-1252"});
        List<String[]> latin = List.<String[]>of(new String[] {"Content-Type", "text/plain; charset=latin1"});
        assertFalse(run(w, "POST", "/", "HTTP/1.1", cp, "x").interrupts());
        assertTrue(run(w, "POST", "/", "HTTP/1.1", latin, "x").interrupts());
        assertTrue(run(w, "POST", "/", "HTTP/1.1", List.<String[]>of(new String[] {"Content-Type", "text/plain; charset=iso-8859-15"}), "x").interrupts());
        assertFalse(run(WAF, "POST", "/", "HTTP/1.1", cp, "x").interrupts(), "in the default list");
    }

    @Test
    void strictDenialIsAudited() {
        List<dev.bulwark.waf.audit.AuditEvent> events = new ArrayList<>();
        Waf w = Waf.builder().serviceLoader(false).rules("t.yaml", RULES).auditSink(events::add).build();
        run(w, "POST", "/", "HTTP/1.1", DUPLICATE_CT, "x");
        assertEquals(1, events.size());
        assertEquals(400, events.get(0).status());
        assertEquals("deny", events.get(0).action());
        assertEquals("repeated Content-Type header", events.get(0).reason());
    }

    /**
     * With inspect-partial the engine parses a prefix: wherever the cut falls (inside a delimiter
     * line, part headers or content) that is not a malformed body; the same prefix sent whole is.
     */
    @Test
    void bodyCutAtTheInspectionLimitIsNotRefused() {
        String body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nfirst\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + "0123456789".repeat(10) + "\r\n--b--\r\n";
        List<String[]> ct = List.<String[]>of(new String[] {"Content-Type", "multipart/form-data; boundary=b"});
        int secondDelimiter = body.indexOf("\r\n--b\r\n");
        for (int cut = secondDelimiter - 2; cut < body.indexOf("0123"); cut++) {
            Limits limits = Limits.defaults().withMaxInspectedBodyBytes(cut)
                    .withOnBodyLimit(Limits.BodyLimitAction.INSPECT_PARTIAL);
            Waf partial = Waf.builder().serviceLoader(false).rules("t.yaml", RULES).limits(limits).build();
            Verdict v = run(partial, "POST", "/", "HTTP/1.1", ct, body);
            int at = cut;
            assertFalse(v.interrupts(), () -> "cut at " + at + ": " + v);
            // A connector that feeds only the inspected prefix (the servlet filter) looks the same.
            assertFalse(run(partial, "POST", "/", "HTTP/1.1", ct, body.substring(0, cut)).interrupts(), "prefix " + cut);
            assertTrue(run(WAF, "POST", "/", "HTTP/1.1", ct, body.substring(0, cut)).interrupts(), "sent whole: " + cut);
        }
    }

    @Test
    void defaultsAreOn() {
        StrictParsing d = Waf.builder().serviceLoader(false).rules("t.yaml", RULES).build().strictParsing();
        assertEquals(StrictParsing.defaults(), d);
        assertTrue(d.enabled());
        assertTrue(d.charsetAllowed("UTF-8") && d.charsetAllowed("utf8") && d.charsetAllowed("Latin1")
                && d.charsetAllowed("ISO-8859-15") && d.charsetAllowed("windows-1252"));
        assertFalse(d.charsetAllowed("ibm037") || d.charsetAllowed("utf-16"));
    }
}

package dev.bulwark.waf.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.waf.Limits;
import dev.bulwark.waf.Mode;
import dev.bulwark.waf.Waf;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filter in a real embedded Jetty, driven over loopback sockets. */
class WafFilterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private JettyHarness jetty;

    static String rules() {
        try (InputStream in = WafFilterTest.class.getResourceAsStream("/filter-rules.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Waf.Builder waf() {
        return Waf.builder().rules("filter-rules.yaml", rules()).serviceLoader(false);
    }

    private JettyHarness start(Waf waf) throws Exception {
        return start(new WafFilter(waf), Map.of());
    }

    private JettyHarness start(WafFilter filter, Map<String, String> params) throws Exception {
        jetty = new JettyHarness(filter, params, new EchoServlet());
        return jetty;
    }

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.close();
        }
    }

    @Test
    void benignGetPasses() throws Exception {
        HttpResponse<String> r = start(waf().build()).get("/echo?q=hello+world&n=1");
        assertEquals(200, r.statusCode());
        JsonNode echo = JSON.readTree(r.body());
        assertEquals("hello world", echo.at("/params/q/0").asText());
        assertEquals("1", echo.at("/params/n/0").asText());
        assertFalse(echo.at("/requestId").asText().isEmpty(), "the application sees the request id");
    }

    @Test
    void attackInQueryIsBlockedWithRequestIdAndNothingInternal() throws Exception {
        HttpResponse<String> r = start(waf().build()).get("/echo?q=%3Cscript%3Ealert(1)%3C/script%3E");
        assertEquals(403, r.statusCode());
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(WafFilter.isSaneRequestId(id), id);
        assertTrue(r.body().contains(id), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertFalse(r.body().contains("1001"), "no rule id on the block page");
        assertFalse(r.body().contains("XSS"), "no rule message on the block page");
        assertFalse(r.body().contains("script"), "no matched data on the block page");
    }

    @Test
    void saneIncomingRequestIdIsHonouredAndOtherReplaced() throws Exception {
        start(waf().build());
        HttpResponse<String> r = jetty.get("/echo?q=<script>".replace("<", "%3C").replace(">", "%3E"),
                "X-Request-Id", "abc-123_x.y");
        assertEquals(403, r.statusCode());
        assertEquals("abc-123_x.y", r.headers().firstValue("X-Request-Id").orElseThrow());
        assertTrue(r.body().contains("abc-123_x.y"));

        HttpResponse<String> bad = jetty.get("/echo?q=%3Cscript%3E", "X-Request-Id", "<img src=x>");
        assertEquals(403, bad.statusCode());
        assertNotEquals("<img src=x>", bad.headers().firstValue("X-Request-Id").orElseThrow());
        assertFalse(bad.body().contains("<img"));

        HttpResponse<String> ok = jetty.get("/echo", "X-Request-Id", "from-the-edge-1");
        assertEquals("from-the-edge-1", JSON.readTree(ok.body()).at("/requestId").asText());
    }

    @Test
    void formPostIsReplayedIntact() throws Exception {
        byte[] body = "name=J%C3%BCrgen+M&tags=a&tags=b&empty=&odd=%zz".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> r = start(waf().build())
                .post("/echo?from=query", "application/x-www-form-urlencoded", body);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode echo = JSON.readTree(r.body());
        assertEquals("Jürgen M", echo.at("/params/name/0").asText());
        assertEquals("b", echo.at("/params/tags/1").asText());
        assertEquals("query", echo.at("/params/from/0").asText());
        assertEquals("", echo.at("/params/empty/0").asText());
        assertEquals("%zz", echo.at("/params/odd/0").asText(), "malformed escapes are kept");
        assertEquals(body.length, echo.at("/contentLength").asLong());
        assertArrayEquals(body, Base64.getDecoder().decode(echo.at("/bodyBase64").asText()));
    }

    @Test
    void binaryBodyIsReplayedByteForByte() throws Exception {
        byte[] body = new byte[70_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + 7);
        }
        HttpResponse<String> r = start(waf().build()).post("/echo", "application/octet-stream", body);
        assertEquals(200, r.statusCode());
        assertArrayEquals(body, Base64.getDecoder().decode(JSON.readTree(r.body()).at("/bodyBase64").asText()));
    }

    @Test
    void jsonAttackIsBlocked() throws Exception {
        byte[] body = "{\"user\":{\"q\":\"1 UNION  SELECT password FROM users\"}}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = start(waf().build()).post("/echo", "application/json", body);
        assertEquals(403, r.statusCode());
        assertFalse(r.body().contains("password"));
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        Waf w = waf().limits(Limits.defaults().withMaxRequestBodyBytes(1024)).build();
        HttpResponse<String> r = start(w).post("/echo", "application/octet-stream", new byte[5000]);
        assertEquals(413, r.statusCode());
        assertTrue(r.headers().firstValue("X-Request-Id").isPresent());
    }

    @Test
    void partialInspectionStreamsTheRestIntact() throws Exception {
        Limits limits = Limits.defaults().withMaxInspectedBodyBytes(256)
                .withOnBodyLimit(Limits.BodyLimitAction.INSPECT_PARTIAL);
        start(waf().limits(limits).build());
        byte[] body = new byte[300_000];
        Arrays.fill(body, (byte) 'x');
        HttpResponse<String> r = jetty.post("/echo", "application/octet-stream", body);
        assertEquals(200, r.statusCode());
        assertArrayEquals(body, Base64.getDecoder().decode(JSON.readTree(r.body()).at("/bodyBase64").asText()));

        byte[] attack = new byte[300_000];
        Arrays.fill(attack, (byte) ' ');
        byte[] prefix = "q=1 union select 2&pad=".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, attack, 0, prefix.length);
        assertEquals(403, jetty.post("/echo", "application/x-www-form-urlencoded", attack).statusCode(),
                "the inspected prefix is still checked");
    }

    @Test
    void detectionOnlyPassesTheAttack() throws Exception {
        HttpResponse<String> r = start(waf().mode(Mode.DETECTION_ONLY).build()).get("/echo?q=%3Cscript%3E");
        assertEquals(200, r.statusCode());
        assertEquals("<script>", JSON.readTree(r.body()).at("/params/q/0").asText());
    }

    @Test
    void modeInitParameterOverridesTheWaf() throws Exception {
        start(new WafFilter(waf().build()), Map.of("mode", "DetectionOnly"));
        assertEquals(200, jetty.get("/echo?q=%3Cscript%3E").statusCode());
    }

    @Test
    void offModePassesEverything() throws Exception {
        assertEquals(200, start(waf().mode(Mode.OFF).build()).get("/leak").statusCode());
    }

    @Test
    void responseLeakIsReplacedByTheBlockPage() throws Exception {
        HttpResponse<String> r = start(waf().build()).get("/leak");
        assertEquals(403, r.statusCode());
        assertFalse(r.body().contains("SQL syntax"), r.body());
        assertTrue(r.body().contains(r.headers().firstValue("X-Request-Id").orElseThrow()));
    }

    @Test
    void asyncResponseIsInspectedToo() throws Exception {
        HttpResponse<String> r = start(waf().build()).get("/async-leak");
        assertEquals(403, r.statusCode());
        assertFalse(r.body().contains("SQL syntax"));
    }

    @Test
    void responseLargerThanTheLimitStreamsThrough() throws Exception {
        int n = 2 * 512 * 1024 + 123;
        HttpResponse<byte[]> r = start(waf().build()).getBytes("/big?n=" + n);
        assertEquals(200, r.statusCode());
        assertEquals(n, r.body().length);
        for (int i = 0; i < n; i++) {
            if (r.body()[i] != (byte) ('a' + i % 8192 % 26)) {
                throw new AssertionError("byte " + i + " differs");
            }
        }
    }

    @Test
    void malformedPercentEncodingAndUtf8DoNotCause500() throws Exception {
        start(waf().build());
        String answer = jetty.raw("GET /echo?q=%zz%E0%80%C3&x=%%%% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        int status = Integer.parseInt(answer.substring(9, 12));
        assertTrue(status == 200 || status == 400, answer);
        assertFalse(answer.contains("Exception"), answer);

        String form = "a=%E0%80%zz&b=%";
        String post = jetty.raw("POST /echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form);
        assertTrue(post.startsWith("HTTP/1.1 200"), post);
    }

    @Test
    void truncatedBodyGivesNoStackTrace() throws Exception {
        start(waf().build());
        // Claims 100 bytes, sends 10, then half-closes: the filter sees an early end of stream.
        String answer = jetty.raw("POST /echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n0123456789");
        assertFalse(answer.contains("Exception"), answer);
        assertFalse(answer.startsWith("HTTP/1.1 500"), answer);
    }

    @Test
    void dropClosesTheConnectionWithoutAnswer() throws Exception {
        start(waf().build());
        String answer;
        try {
            answer = jetty.raw("GET /echo HTTP/1.1\r\nHost: localhost\r\nX-Drop: yes\r\nConnection: close\r\n\r\n");
        } catch (IOException reset) {
            answer = "";
        }
        assertEquals("", answer);
    }

    @Test
    void redirectVerdictAnswers302() throws Exception {
        HttpResponse<String> r = start(waf().build()).get("/echo", "X-Redirect", "yes");
        assertEquals(302, r.statusCode());
        assertEquals("https://example.com/blocked", r.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void responseHeaderRuleBlocksInPhase3() throws Exception {
        HttpResponse<String> r = start(waf().build()).get("/debug");
        assertEquals(403, r.statusCode());
        assertTrue(r.headers().firstValue("X-Debug").isEmpty(), "the blocked response's headers are gone");
    }

    @Test
    void invalidModeParameterFailsInit() {
        WafFilter f = new WafFilter(waf().build());
        assertThrows(ServletException.class, () -> f.init(config(Map.of("mode", "sometimes"))));
    }

    @Test
    void configInitParameterLoadsFromTheClassPathAndTheFileSystem() throws Exception {
        WafFilter f = new WafFilter();
        f.init(config(Map.of("config", "classpath:filter-config.yaml")));
        assertEquals(Mode.DETECTION_ONLY, f.waf().mode());
        assertEquals(2, f.waf().paranoiaLevel());
        assertEquals(6, f.waf().rules().size());

        java.nio.file.Path file = java.nio.file.Path.of(
                WafFilterTest.class.getResource("/filter-config.yaml").toURI());
        WafFilter g = new WafFilter();
        g.init(config(Map.of("config", file.toString(), "mode", "on")));
        assertEquals(Mode.ON, g.waf().mode());
    }

    @Test
    void missingConfigFailsInitWithAClearMessage() {
        ServletException e = assertThrows(ServletException.class,
                () -> new WafFilter().init(config(Map.of("config", "classpath:nope.yaml"))));
        assertTrue(e.getMessage().contains("nope.yaml"), e.getMessage());
    }

    static FilterConfig config(Map<String, String> params) {
        return new FilterConfig() {
            @Override public String getFilterName() { return "bulwark"; }
            @Override public ServletContext getServletContext() { return null; }
            @Override public String getInitParameter(String name) { return params.get(name); }
            @Override public Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(params.keySet());
            }
        };
    }
}

package dev.bulwark.waf.proxy;

import dev.bulwark.waf.Waf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Backend and proxy on ephemeral loopback ports, exercised over real sockets. */
class ProxyServerTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RecordingBackend backend;
    private ProxyServer proxy;

    static Waf inlineRules() throws Exception {
        try (InputStream in = ProxyServerTest.class.getResourceAsStream("/proxy-rules.yaml")) {
            return Waf.builder().rules("proxy-rules.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .serviceLoader(false).build();
        }
    }

    @BeforeEach
    void start() throws Exception {
        backend = new RecordingBackend();
        proxy = ProxyServer.start(inlineRules(), "127.0.0.1", 0, backend.uri());
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        return client.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder to(ProxyServer p, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(p.uri() + pathAndQuery));
    }

    @Test
    void benignRequestPassesWithTheBackendsBodyAndNoServerIdentity() throws Exception {
        HttpResponse<byte[]> r = send(to(proxy, "/hello?name=world"));
        assertEquals(200, r.statusCode());
        assertEquals("backend says hi", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("GET", r.headers().firstValue("X-Seen-Method").orElseThrow());
        assertTrue(r.headers().firstValue("Server").isEmpty(), "backend Server header is hidden");
        assertTrue(r.headers().firstValue("X-Powered-By").isEmpty(), "backend X-Powered-By is hidden");
        assertEquals("http", r.headers().firstValue("X-Seen-Proto").orElseThrow());
        assertEquals("127.0.0.1", backend.lastForwardedFor.get());
        assertNotNull(backend.lastRequestId.get(), "the request id travels to the backend");
    }

    @Test
    void scriptInQueryIsBlocked() throws Exception {
        HttpResponse<byte[]> r = send(to(proxy, "/?q=%3Cscript%3Ealert(1)%3C/script%3E"));
        assertEquals(403, r.statusCode());
        String page = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(page.contains(r.headers().firstValue("X-Request-Id").orElseThrow()));
        assertTrue(r.headers().firstValue("Server").isEmpty());
    }

    @Test
    void jndiLookupInHeaderIsBlocked() throws Exception {
        HttpResponse<byte[]> r = send(to(proxy, "/").header("X-Api-Version", "${jndi:ldap://x}"));
        assertEquals(403, r.statusCode());
    }

    @Test
    void postBodyReachesTheBackendIntact() throws Exception {
        byte[] body = new byte[200_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7 + i / 256);
        }
        HttpResponse<byte[]> r = send(to(proxy, "/upload").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertEquals(200, r.statusCode());
        assertEquals("POST", r.headers().firstValue("X-Seen-Method").orElseThrow());
        assertArrayEquals(body, r.body());

        byte[] form = "a=1&b=hello+world&c=%C3%BC".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<byte[]> f = send(to(proxy, "/form").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form)));
        assertArrayEquals(form, f.body());
    }

    @Test
    void healthEndpointAnswersLocally() throws Exception {
        HttpResponse<byte[]> r = send(to(proxy, "/bulwark/health"));
        assertEquals(200, r.statusCode());
        assertEquals("{\"status\":\"up\"}\n", new String(r.body(), StandardCharsets.UTF_8));
        assertTrue(r.headers().firstValue("X-Seen-Method").isEmpty(), "not forwarded");
    }

    @Test
    void demoBackendEchoesThroughTheProxy() throws Exception {
        try (DemoBackend demo = DemoBackend.start("127.0.0.1", 0);
             ProxyServer p = ProxyServer.start(inlineRules(), "127.0.0.1", 0, demo.uri())) {
            HttpResponse<byte[]> r = send(to(p, "/greet?name=Ada%20%26%20Bob"));
            assertEquals(200, r.statusCode());
            String page = new String(r.body(), StandardCharsets.UTF_8);
            assertTrue(page.contains("/greet"), page);
            assertTrue(page.contains("name = Ada &amp; Bob"), page);
            HttpResponse<byte[]> post = send(to(p, "/p").POST(HttpRequest.BodyPublishers.ofString("x=<b>")));
            String posted = new String(post.body(), StandardCharsets.UTF_8);
            assertTrue(posted.contains("x=&lt;b&gt;"), posted);
            assertFalse(posted.contains("<b>"));
        }
    }

    @Test
    void bundledRulesBlockTheClassicAttacks() throws Exception {
        assumeTrue(getClass().getClassLoader().getResource("bulwark/rules/index.txt") != null,
                "bundled rules not on the class path yet");
        try (ProxyServer p = ProxyServer.start(Waf.builder().bundledRules().build(), "127.0.0.1", 0, backend.uri())) {
            assertEquals(200, send(to(p, "/hello?name=world")).statusCode());
            assertEquals(403, send(to(p, "/?q=%3Cscript%3Ealert(1)%3C/script%3E")).statusCode());
            assertEquals(403, send(to(p, "/").header("X-Api-Version", "${jndi:ldap://x}")).statusCode());
        }
    }

    @Test
    void ambiguousPathsAreDecidedByTheWafNotRejectedByJetty() throws Exception {
        assumeTrue(getClass().getClassLoader().getResource("bulwark/rules/index.txt") != null,
                "bundled rules not on the class path yet");
        try (ProxyServer p = ProxyServer.start(Waf.builder().bundledRules().build(), "127.0.0.1", 0, backend.uri())) {
            assertEquals(403, send(to(p, "/files/..%2F..%2F..%2Fetc%2Fpasswd")).statusCode());
            assertEquals(400, send(to(p, "/static/x/%2e%2e/etc/shadow")).statusCode(), "encoded dot-segment: strict parsing");
            assertEquals(400, send(to(p, "/a/%2e%2e/%2e%2e/b")).statusCode(), "above the root: Jetty's clean 400");
            HttpResponse<byte[]> ok = send(to(p, "/docs/a%2Fb/readme"));
            assertEquals(200, ok.statusCode());
            assertEquals("/docs/a%2Fb/readme", backend.lastPath.get(), "forwarded as received");
        }
    }

    /** A target Jetty's client cannot turn into a URI gets a plain 400, not a 500 naming the backend. */
    @Test
    void malformedEscapeInTheQueryIsACleanBadRequest() throws Exception {
        for (String target : new String[] {"/get?test=%u0F", "/?parm=%7%6F%6D%65%74"}) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 400"), target + ": " + answer);
                assertFalse(answer.contains("Exception"), answer);
                assertFalse(answer.contains(backend.uri().getHost() + ":" + backend.uri().getPort()), answer);
            }
        }
    }
}

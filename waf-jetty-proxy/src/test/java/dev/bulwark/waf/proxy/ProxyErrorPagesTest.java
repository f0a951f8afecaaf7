package dev.bulwark.waf.proxy;

import dev.bulwark.waf.servlet.BlockPages;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error Jetty or the proxy servlet answers itself is the WAF's minimal page: status and
 * request id, nothing from the request, the exception or the backend.
 */
class ProxyErrorPagesTest {

    private RecordingBackend backend;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        backend = new RecordingBackend();
        proxy = ProxyServer.start(ProxyServerTest.inlineRules(), "127.0.0.1", 0, backend.uri());
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

    /** The answer is exactly the minimal page for its status and id, and leaks nothing. */
    static void assertMinimal(int status, RawHttp.Answer a, String... secrets) {
        assertEquals(status, a.status(), a.head() + a.body());
        String id = a.header(BlockPages.REQUEST_ID_HEADER);
        assertNotNull(id, "request id header: " + a.head());
        assertEquals(BlockPages.html(status, id), a.body(), "the minimal page");
        assertFalse(a.head().toLowerCase().contains("server:"), a.head());
        for (String s : secrets) {
            assertFalse(a.head().contains(s) || a.body().contains(s), "leaks " + s + ": " + a.head() + a.body());
        }
    }

    @Test
    void badRequestLine() throws Exception {
        assertMinimal(505, RawHttp.exchange(proxy.port(), "GET /<script> HTTP/9.9\r\nHost: x\r\n\r\n"),
                "<script>", "HttpParser", "Exception");
        assertMinimal(400, RawHttp.exchange(proxy.port(), "GET /a\u0000<b>zq9 HTTP/1.1\r\nHost: x\r\n\r\n"),
                "zq9", "<b>", "Exception");
        assertMinimal(400, RawHttp.exchange(proxy.port(), "GET /x HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"),
                "NoColonHere");
    }

    @Test
    void tenKilobyteUri() throws Exception {
        String uri = "/" + "a".repeat(10_240) + "?marker=zq9";
        RawHttp.Answer a = RawHttp.exchange(proxy.port(), "GET " + uri + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertMinimal(414, a, "zq9", "aaaaaaaa");
    }

    @Test
    void tooManyOrTooLargeHeaders() throws Exception {
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 100; i++) {
            many.append("X-H").append(i).append(": ").append("v".repeat(100)).append("\r\n");
        }
        many.append("\r\n");
        assertMinimal(431, RawHttp.exchange(proxy.port(), many.toString()), "X-H1", "vvvv");
    }

    @Test
    void hostWithControlCharactersAndAnsiEscapes() throws Exception {
        RawHttp.Answer a = RawHttp.exchange(proxy.port(),
                "GET / HTTP/1.1\r\nHost: evil\u001b[31mred\u0007.example\r\n\r\n");
        assertMinimal(400, a, "evil", "\u001b");
        RawHttp.Answer b = RawHttp.exchange(proxy.port(), "GET / HTTP/1.1\r\nHost: a\rb.example\r\n\r\n");
        assertMinimal(400, b, "b.example");
    }

    @Test
    void backendDownIs502WithoutTheBackendAddress() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        URI down = URI.create("http://127.0.0.1:" + closedPort);
        try (ProxyServer p = ProxyServer.start(ProxyServerTest.inlineRules(), "127.0.0.1", 0, down)) {
            RawHttp.Answer a = RawHttp.exchange(p.port(), "GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
            assertMinimal(502, a, Integer.toString(closedPort), "Connection refused", "Exception");
        }
    }

    @Test
    void slowBackendIs504() throws Exception {
        Server slow = new Server();
        ServerConnector c = new ServerConnector(slow);
        c.setHost("127.0.0.1");
        c.setPort(0);
        slow.addConnector(c);
        slow.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Thread.sleep(4000);
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        });
        slow.start();
        try (ProxyServer p = ProxyServer.start(ProxyServerTest.inlineRules(), "127.0.0.1", 0,
                URI.create("http://127.0.0.1:" + c.getLocalPort()),
                ProxyServer.Options.defaults().withBackendTimeout(Duration.ofSeconds(1)))) {
            RawHttp.Answer a = RawHttp.exchange(p.port(), "GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
            assertMinimal(504, a, Integer.toString(c.getLocalPort()), "TimeoutException", "Exception");
        } finally {
            slow.stop();
        }
    }

    @Test
    void blockedRequestsAndErrorsLookTheSame() throws Exception {
        RawHttp.Answer blocked = RawHttp.exchange(proxy.port(),
                "GET /?q=%3Cscript%3E HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertMinimal(403, blocked, "script");
        RawHttp.Answer big = RawHttp.exchange(proxy.port(),
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n");
        assertMinimal(413, big);
        assertTrue(big.closed(), "the unread body closes the connection");
    }
}

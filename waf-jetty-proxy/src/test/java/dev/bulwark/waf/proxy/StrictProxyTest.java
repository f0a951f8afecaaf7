package dev.bulwark.waf.proxy;

import dev.bulwark.waf.StrictParsing;
import dev.bulwark.waf.Waf;
import dev.bulwark.waf.audit.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strict parsing through the real proxy (Jetty 12, UriCompliance.UNSAFE) with raw sockets: the
 * parser-differential requests of issue 7 get 400 and never reach the recording backend.
 */
class StrictProxyTest {

    private RecordingBackend backend;
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        backend = new RecordingBackend();
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
    }

    private Waf waf(StrictParsing strict) throws Exception {
        try (InputStream in = StrictProxyTest.class.getResourceAsStream("/proxy-rules.yaml")) {
            return Waf.builder().rules("proxy-rules.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .serviceLoader(false).strictParsing(strict).auditAll(true).auditSink(events::add).build();
        }
    }

    /** Sends raw ISO-8859-1 bytes and returns the status line. */
    private static String send(ProxyServer p, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", p.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                answer.write(buf, 0, n);
            }
            String a = answer.toString(StandardCharsets.ISO_8859_1);
            return a.substring(0, Math.max(0, a.indexOf('\r')));
        }
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    }

    private static String post(String contentType, String body) {
        return "POST /form HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n\r\n" + body;
    }

    /**
     * What the WAF is given for a raw 0xFF byte in the path: Jetty 12 decodes the target as
     * UTF-8 and the servlet API hands the filter U+FFFD in getRequestURI (the forwarded request
     * line then carries it re-encoded); with strict parsing that is a 400.
     */
    @Test
    void invalidUtf8InTheRequestLine() throws Exception {
        try (ProxyServer p = ProxyServer.start(waf(StrictParsing.disabled()), "127.0.0.1", 0, backend.uri())) {
            String status = send(p, get("/a\u00ff?q=x"));
            System.out.println("strict off: " + status + ", WAF saw " + escape(firstEvent().uri())
                    + ", backend path " + escape(backend.lastPath.get()));
        }
        events.clear();
        backend.lastPath.set(null);
        try (ProxyServer p = ProxyServer.start(waf(StrictParsing.defaults()), "127.0.0.1", 0, backend.uri())) {
            assertEquals("HTTP/1.1 400 Bad Request", send(p, get("/a\u00ff?q=x")));
            assertNull(backend.lastPath.get(), "nothing reached the backend");
            assertEquals("request target has a character outside printable ASCII", firstEvent().reason());
        }
    }

    @Test
    void differentialRequestsAre400AndNeverReachTheBackend() throws Exception {
        String mp = "multipart/form-data; boundary=b";
        String[] attacks = {
            get("/a/..;/admin"),
            get("/a/%2e%2e%3b/admin"),
            get("/admin;x=1/reports"),
            get("/s?q=\u00e9"),
            post("application/x-www-form-urlencoded; charset=ibm037; charset=utf-8", "%7D%40%D6%D9=1"),
            post("application/x-www-form-urlencoded; charset=ibm037", "%7D%40%D6%D9=1"),
            "POST /form HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\nq=1",
            post("multipart/form-data; boundary=x; boundary=b", part("form-data; name=\"q\"", "1") + "--b--\r\n"),
            post(mp, part("attachment; name=\"q\"", "1") + "--b--\r\n"),
            post(mp, part("form-data; name*=UTF-8''q", "1") + "--b--\r\n"),
            post(mp, "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n"
                    + "Content-Disposition: form-data; name=\"q\"\r\n\r\n1\r\n--b--\r\n"),
            post(mp, "--b\nContent-Disposition: form-data; name=\"q\"\n\n1\n--b--\n"),
        };
        try (ProxyServer p = ProxyServer.start(waf(StrictParsing.defaults()), "127.0.0.1", 0, backend.uri())) {
            for (String attack : attacks) {
                backend.lastPath.set(null);
                assertEquals("HTTP/1.1 400 Bad Request", send(p, attack), attack);
                assertNull(backend.lastPath.get(), attack);
            }
            String[] benign = {
                get("/page;jsessionid=ABC123?x=1"),
                get("/search?q=caf%C3%A9"),
                post("application/x-www-form-urlencoded; charset=UTF-8", "q=hello"),
                post("multipart/form-data; boundary=----WebKitFormBoundaryABC",
                        "------WebKitFormBoundaryABC\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nhello\r\n"
                        + "------WebKitFormBoundaryABC\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
                        + "Content-Type: text/plain\r\n\r\nfile text\r\n------WebKitFormBoundaryABC--\r\n"),
            };
            for (String ok : benign) {
                backend.lastPath.set(null);
                assertEquals("HTTP/1.1 200 OK", send(p, ok), ok);
                assertTrue(backend.lastPath.get() != null, ok);
            }
        }
    }

    private static String part(String disposition, String value) {
        return "--b\r\nContent-Disposition: " + disposition + "\r\n\r\n" + value + "\r\n";
    }

    /** The audit event is written when the filter closes the transaction, just after the answer. */
    private AuditEvent firstEvent() throws InterruptedException {
        for (int i = 0; i < 100 && events.isEmpty(); i++) {
            Thread.sleep(50);
        }
        return events.get(0);
    }

    private static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x21 && c <= 0x7E ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return sb.toString();
    }
}

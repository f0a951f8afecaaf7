package dev.bulwark.waf.proxy;

import dev.bulwark.waf.Waf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow request bodies: they hold no thread, must arrive in time and at a minimum rate, and their
 * memory stays within the shared budget and is given back however the request ends.
 */
class ProxySlowBodyTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RecordingBackend backend;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        backend = new RecordingBackend();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        backend.close();
    }

    private Socket slowUpload(int port, int declared) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(15_000);
        OutputStream out = s.getOutputStream();
        out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + declared + "\r\n\r\nx").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static long await(LongSupplier value, long expected) throws InterruptedException {
        long v = value.getAsLong();
        for (int i = 0; i < 200 && v != expected; i++) {
            Thread.sleep(50);
            v = value.getAsLong();
        }
        return v;
    }

    /**
     * 300 uploads trickling bytes against a pool of 200 threads: with a thread per slow body the
     * pool is exhausted and the normal client times out; here it is answered each time.
     */
    @Test
    void slowUploadsBeyondThePoolSizeDoNotStarveOtherClients() throws Exception {
        ProxyServer.Options options = ProxyServer.Options.defaults().withMinBodyRate(0)
                .withBodyTimeout(Duration.ofSeconds(60)).withMaxThreads(200);
        try (ProxyServer proxy = ProxyServer.start(ProxyServerTest.inlineRules(), "127.0.0.1", 0, backend.uri(),
                options)) {
            int slow = 300;
            for (int i = 0; i < slow; i++) {
                slowUpload(proxy.port(), 10_000);
            }
            for (int round = 0; round < 3; round++) {
                for (Socket s : sockets) {
                    s.getOutputStream().write('y');
                    s.getOutputStream().flush();
                }
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(proxy.uri() + "/hello"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), "round " + round);
                Thread.sleep(300);
            }
            // The slow bodies hold their few bytes, not their declared 10,000 each.
            assertTrue(proxy.bodyBudget().used() <= slow * 4096L, "budget in use: " + proxy.bodyBudget().used());
            // And the uploads still complete normally when the clients finish.
            byte[] rest = new byte[10_000 - 4];
            Arrays.fill(rest, (byte) 'z');
            Socket first = sockets.get(0);
            first.getOutputStream().write(rest);
            first.getOutputStream().flush();
            RawHttp.Answer done = RawHttp.read(first);
            assertEquals(200, done.status());
            assertEquals(10_000, done.body().length());
            assertTrue(done.body().startsWith("xyyyzzz"), done.body().substring(0, 10));

            for (Socket s : sockets) {
                s.close();
            }
            assertEquals(0, await(proxy.bodyBudget()::used, 0), "aborted uploads gave their memory back");
        }
    }

    @Test
    void bodyTimeoutAnswers408AndCloses() throws Exception {
        ProxyServer.Options options = ProxyServer.Options.defaults().withMinBodyRate(0)
                .withBodyTimeout(Duration.ofSeconds(2));
        try (ProxyServer proxy = ProxyServer.start(ProxyServerTest.inlineRules(), "127.0.0.1", 0, backend.uri(),
                options)) {
            Socket s = slowUpload(proxy.port(), 100);
            RawHttp.Answer a = RawHttp.read(s);
            ProxyErrorPagesTest.assertMinimal(408, a);
            assertTrue(a.closed(), "connection closed after a 408");
            assertEquals(0, await(proxy.bodyBudget()::used, 0));
        }
    }

    @Test
    void bodyBelowTheMinimumRateAnswers408() throws Exception {
        ProxyServer.Options options = ProxyServer.Options.defaults().withMinBodyRate(100)
                .withBodyTimeout(Duration.ofSeconds(60));
        try (ProxyServer proxy = ProxyServer.start(ProxyServerTest.inlineRules(), "127.0.0.1", 0, backend.uri(),
                options)) {
            Socket s = slowUpload(proxy.port(), 100_000);
            RawHttp.Answer a = RawHttp.read(s);
            ProxyErrorPagesTest.assertMinimal(408, a);
            assertTrue(a.closed());
        }
    }

    @Test
    void bodiesBeyondTheBudgetGet503AndNothingLeaks() throws Exception {
        Waf base = ProxyServerTest.inlineRules();
        Waf small = Waf.builder().rules("proxy-rules.yaml", rules()).serviceLoader(false)
                .limits(base.limits().withMaxInFlightBodyBytes(50_000)).build();
        try (ProxyServer proxy = ProxyServer.start(small, "127.0.0.1", 0, backend.uri())) {
            byte[] big = new byte[60_000];
            Arrays.fill(big, (byte) 'b');
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(proxy.uri() + "/up"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(503, r.statusCode());
            assertTrue(r.headers().firstValue("Retry-After").isPresent());
            assertEquals(0, await(proxy.bodyBudget()::used, 0));

            byte[] ok = new byte[10_000];
            Arrays.fill(ok, (byte) 'o');
            HttpResponse<byte[]> fine = client.send(HttpRequest.newBuilder(URI.create(proxy.uri() + "/up"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(ok)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, fine.statusCode());
            assertArrayEquals(ok, fine.body());
            assertEquals(0, await(proxy.bodyBudget()::used, 0), "released after a forwarded body too");
        }
    }

    @Test
    void chunkedBodiesArriveIntact() throws Exception {
        try (ProxyServer proxy = ProxyServer.start(ProxyServerTest.inlineRules(), "127.0.0.1", 0, backend.uri())) {
            RawHttp.Answer a = RawHttp.exchange(proxy.port(), "POST /c HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            assertEquals(200, a.status());
            assertEquals("hello world", a.body());
        }
    }

    private static String rules() throws IOException {
        try (InputStream in = ProxySlowBodyTest.class.getResourceAsStream("/proxy-rules.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

package dev.bulwark.waf.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bulwark.waf.Waf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Content-Encoding through the proxy: the WAF inspects the decoded body, the backend gets the
 * bytes as sent, and bodies the WAF cannot decode never reach it.
 */
class EncodedBodyProxyTest {

    private static final String RULES = """
            rules:
              - {id: 3001, phase: 2, targets: [ARGS], transforms: [urlDecodeUni, lowercase], operator: "@contains <script", action: deny}
            """;

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static RecordingBackend backend;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        backend = new RecordingBackend();
        Waf waf = Waf.builder().serviceLoader(false).rules("encoded.yaml", RULES).build();
        proxy = ProxyServer.start(waf, "127.0.0.1", 0, backend.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static HttpResponse<byte[]> post(byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxy.uri() + "/submit"))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bos)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    @Test
    void cleanCompressedBodyReachesTheBackendAsSent() throws Exception {
        byte[] gz = gzip("name=Ada&note=hello+world".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> r = post(gz, "Content-Type", "application/x-www-form-urlencoded", "Content-Encoding", "gzip");
        assertEquals(200, r.statusCode());
        assertArrayEquals(gz, r.body(), "the backend echoes exactly the compressed bytes");
    }

    @Test
    void payloadInACompressedBodyIsBlocked() throws Exception {
        byte[] gz = gzip("q=%3Cscript%3Ealert(1)".getBytes(StandardCharsets.US_ASCII));
        assertEquals(403, post(gz, "Content-Type", "application/x-www-form-urlencoded",
                "Content-Encoding", "gzip").statusCode());
    }

    @Test
    void undecodableBodiesAreRefused() throws Exception {
        byte[] form = "q=1".getBytes(StandardCharsets.US_ASCII);
        assertEquals(415, post(form, "Content-Type", "application/x-www-form-urlencoded",
                "Content-Encoding", "compress").statusCode());
        assertEquals(400, post(form, "Content-Type", "application/x-www-form-urlencoded",
                "Content-Encoding", "gzip").statusCode());
        // 256 MiB of zeros, about 250 KB compressed.
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        try (OutputStream out = new GZIPOutputStream(bos, 1 << 16)) {
            for (int i = 0; i < 4096; i++) {
                out.write(chunk);
            }
        }
        assertEquals(413, post(bos.toByteArray(), "Content-Type", "application/x-www-form-urlencoded",
                "Content-Encoding", "gzip").statusCode());
    }
}

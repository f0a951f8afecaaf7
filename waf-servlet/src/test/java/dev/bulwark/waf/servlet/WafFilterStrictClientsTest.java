package dev.bulwark.waf.servlet;

import dev.bulwark.waf.Waf;
import jakarta.servlet.MultipartConfigElement;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.MultiPartRequestContent;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Strict parsing is on by default: multipart and form bodies as real clients build them must
 * still pass (and still be inspected), behind a real Jetty with the servlet reading the parts.
 */
class WafFilterStrictClientsTest {

    @TempDir
    Path tmp;
    private JettyHarness jetty;
    private PartsServlet parts;
    private final HttpClient client = new HttpClient();

    @BeforeEach
    void start() throws Exception {
        parts = new PartsServlet();
        Waf waf = Waf.builder().rules("filter-rules.yaml", WafFilterTest.rules()).serviceLoader(false).build();
        jetty = new JettyHarness(new WafFilter(waf), Map.of(), parts, new MultipartConfigElement(tmp.toString()));
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        jetty.close();
    }

    private ContentResponse jettyMultipart(String fieldValue) throws Exception {
        MultiPartRequestContent content = new MultiPartRequestContent();
        content.addPart(new MultiPart.ByteBufferPart("comment", null, HttpFields.EMPTY,
                ByteBuffer.wrap(fieldValue.getBytes(StandardCharsets.UTF_8))));
        content.addPart(new MultiPart.ByteBufferPart("file", "notes.txt",
                HttpFields.build().put(new HttpField(HttpHeader.CONTENT_TYPE, "text/plain; charset=UTF-8")),
                ByteBuffer.wrap("file body".getBytes(StandardCharsets.UTF_8))));
        content.close();
        return client.newRequest(jetty.uri("/upload")).method(HttpMethod.POST).body(content)
                .timeout(10, TimeUnit.SECONDS).send();
    }

    @Test
    void jettyHttpClientMultipartPassesAndIsInspected() throws Exception {
        assertEquals(200, jettyMultipart("hello").getStatus());
        assertEquals(1, parts.calls.get());
        assertEquals(403, jettyMultipart("1 UNION SELECT password").getStatus());
        assertEquals(1, parts.calls.get(), "the blocked request never reached the servlet");
    }

    @Test
    void jettyHttpClientFormPasses() throws Exception {
        Fields fields = new Fields();
        fields.put("q", "café");
        ContentResponse r = client.newRequest(jetty.uri("/form")).method(HttpMethod.POST)
                .body(new FormRequestContent(fields)).timeout(10, TimeUnit.SECONDS).send();
        assertEquals(200, r.getStatus());
    }

    /** Java's HttpClient has no multipart builder: applications write curl-like bodies by hand. */
    @Test
    void javaHttpClientCurlLikeMultipartPasses() throws Exception {
        String b = "------------------------d74496d66958873e";
        String body = "--" + b + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nvalue\r\n"
                + "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n{\"a\":1}\r\n--" + b + "--\r\n";
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(jetty.uri("/upload"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "multipart/form-data; boundary=" + b)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, parts.calls.get());
    }

    @Test
    void delimiterLookAlikeAndTruncatedBodiesAreRefused() throws Exception {
        byte[] lookAlike = new MultipartFixture().field("a", "x\r\n--" + MultipartFixture.BOUNDARY + "X\r\ny").build();
        assertEquals(400, jetty.post("/upload", MultipartFixture.CONTENT_TYPE, lookAlike).statusCode());
        byte[] truncated = new MultipartFixture().field("a", "v").unterminated();
        assertEquals(400, jetty.post("/upload", MultipartFixture.CONTENT_TYPE, truncated).statusCode());
        assertEquals(0, parts.calls.get());
    }

    @Test
    void attachmentPartIsRefusedThoughJettyWouldExposeIt() throws Exception {
        String body = "--b\r\nContent-Disposition: attachment; name=\"q\"\r\n\r\n1 union select 1\r\n--b--\r\n";
        HttpResponse<String> r = jetty.post("/upload", "multipart/form-data; boundary=b", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.statusCode());
        assertEquals(0, parts.calls.get());
    }
}

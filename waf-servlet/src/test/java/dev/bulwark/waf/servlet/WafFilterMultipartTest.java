package dev.bulwark.waf.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.waf.Limits;
import dev.bulwark.waf.StrictParsing;
import dev.bulwark.waf.Waf;
import jakarta.servlet.MultipartConfigElement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Multipart uploads through the filter to a servlet with a multipart config, in a real Jetty. */
class WafFilterMultipartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path uploads;

    private JettyHarness jetty;
    private PartsServlet servlet;

    private JettyHarness start(Waf waf, MultipartConfigElement config) throws Exception {
        servlet = new PartsServlet();
        jetty = new JettyHarness(new WafFilter(waf), Map.of(), servlet, config);
        return jetty;
    }

    private MultipartConfigElement config() {
        return new MultipartConfigElement(uploads.toString(), 1 << 20, 4 << 20, 0);
    }

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.close();
        }
    }

    private static byte[] upload(byte[] file) {
        return new MultipartFixture()
                .field("field", "hello wörld")
                .file("file", "report.bin", "application/octet-stream", file)
                .field("field", "second")
                .build();
    }

    @Test
    void partsAndFieldsReachTheServletExactly() throws Exception {
        byte[] file = MultipartFixture.hostileBinary();
        byte[] body = upload(file);
        // The hostile file holds a "--boundaryX" line, which strict parsing refuses (a parser that
        // matches the delimiter as a prefix would split there); this test is about the wrapper.
        HttpResponse<String> r = start(WafFilterTest.waf().strictParsing(StrictParsing.disabled()).build(), config())
                .post("/upload?q=1&write=copy.bin", MultipartFixture.CONTENT_TYPE, body);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode echo = JSON.readTree(r.body());
        assertTrue(echo.at("/servletException").isMissingNode(), r.body());
        JsonNode parts = echo.at("/parts");
        assertEquals(3, parts.size(), r.body());

        assertEquals("BufferedPart", parts.at("/0/class").asText(), "parsed by the filter's wrapper");
        assertEquals("field", parts.at("/0/name").asText());
        assertTrue(parts.at("/0/fileName").isNull());
        assertTrue(parts.at("/0/contentType").isNull());
        assertArrayEquals("hello wörld".getBytes(StandardCharsets.UTF_8),
                Base64.getDecoder().decode(parts.at("/0/base64").asText()));

        assertEquals("file", parts.at("/1/name").asText());
        assertEquals("report.bin", parts.at("/1/fileName").asText());
        assertEquals("application/octet-stream", parts.at("/1/contentType").asText());
        assertEquals(file.length, parts.at("/1/size").asLong());
        assertArrayEquals(file, Base64.getDecoder().decode(parts.at("/1/base64").asText()));
        assertEquals("[\"Content-Disposition\",\"Content-Type\"]", parts.at("/1/headerNames").toString());

        assertEquals("report.bin", echo.at("/getPartFile").asText());
        assertTrue(echo.at("/getPartMissing").asBoolean());
        assertEquals("ok", echo.at("/write").asText());
        assertArrayEquals(file, Files.readAllBytes(uploads.resolve("copy.bin")), "written into the config location");

        assertEquals("hello wörld", echo.at("/params/field/0").asText());
        assertEquals("second", echo.at("/params/field/1").asText());
        assertEquals("1", echo.at("/params/q/0").asText());
        assertTrue(echo.at("/params/file").isMissingNode(), "file parts are not parameters");
        assertEquals(body.length, echo.at("/bodyLength").asInt(), "the raw body is still replayed");
    }

    @Test
    void attackInAMultipartFieldIsBlockedBeforeTheApplication() throws Exception {
        byte[] body = new MultipartFixture()
                .field("comment", "1 UNION SELECT password FROM users")
                .file("file", "a.txt", "text/plain", "harmless".getBytes(StandardCharsets.US_ASCII))
                .build();
        HttpResponse<String> r = start(WafFilterTest.waf().build(), config())
                .post("/upload", MultipartFixture.CONTENT_TYPE, body);
        assertEquals(403, r.statusCode(), r.body());
        assertFalse(r.body().contains("password"));
        assertEquals(0, servlet.calls.get(), "the servlet never ran");
    }

    @Test
    void writeOutsideTheUploadDirectoryIsRefused() throws Exception {
        byte[] body = upload("x".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = start(WafFilterTest.waf().build(), config())
                .post("/upload?write=../escape.bin", MultipartFixture.CONTENT_TYPE, body);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).at("/write").asText().startsWith("refused"), r.body());
        assertFalse(Files.exists(uploads.resolveSibling("escape.bin")));
    }

    @Test
    void multipartConfigMaxFileSizeIsHonoured() throws Exception {
        MultipartConfigElement small = new MultipartConfigElement(uploads.toString(), 100, 1 << 20, 0);
        HttpResponse<String> r = start(WafFilterTest.waf().build(), small)
                .post("/upload", MultipartFixture.CONTENT_TYPE, upload(new byte[500]));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode echo = JSON.readTree(r.body());
        assertTrue(echo.at("/illegalState").asText().contains("maxFileSize"), r.body());
        assertTrue(echo.at("/params/field").isMissingNode(), "no fields from a refused body");
    }

    @Test
    void malformedBodyGivesAServletExceptionNotA500() throws Exception {
        byte[] truncated = new MultipartFixture().field("field", "v").unterminated();
        // Strict parsing (the default) refuses a body without its closing delimiter before the
        // application sees it; without it, the wrapper must still fail cleanly.
        HttpResponse<String> r = start(WafFilterTest.waf().strictParsing(StrictParsing.disabled()).build(), config())
                .post("/upload?q=2", MultipartFixture.CONTENT_TYPE, truncated);
        JsonNode echo = JSON.readTree(r.body());
        assertTrue(echo.at("/servletException").asText().contains("final boundary"), r.body());
        assertEquals("2", echo.at("/params/q/0").asText(), "the query parameters survive");
    }

    @Test
    void partiallyInspectedUploadIsReadWholeForParts() throws Exception {
        Limits limits = Limits.defaults().withMaxInspectedBodyBytes(256)
                .withOnBodyLimit(Limits.BodyLimitAction.INSPECT_PARTIAL);
        byte[] file = new byte[300_000];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) (i * 131 + 17);
        }
        byte[] body = upload(file);
        HttpResponse<String> r = start(WafFilterTest.waf().limits(limits).build(), config())
                .post("/upload", MultipartFixture.CONTENT_TYPE, body);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode echo = JSON.readTree(r.body());
        assertArrayEquals(file, Base64.getDecoder().decode(echo.at("/parts/1/base64").asText()));
        assertEquals("second", echo.at("/params/field/1").asText());
        assertEquals(body.length, echo.at("/bodyLength").asInt(), "still replayable after reading the rest");
    }
}

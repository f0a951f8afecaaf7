package dev.bulwark.waf.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MultipartTest {

    static Stream<Arguments> vectors() {
        return Vectors.load("multipart.json");
    }

    private static ParsedBody parse(String contentType, byte[] body, BodyLimits limits) {
        return BodyParser.parse(BodyProcessor.MULTIPART, contentType, body, 0, body.length, limits);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vector(String name, JsonNode v) {
        Charset cs = v.has("encoding") ? Charset.forName(v.get("encoding").asText()) : StandardCharsets.UTF_8;
        byte[] body = v.get("body").asText().getBytes(cs);
        ParsedBody p = parse(v.get("contentType").asText(), body, BodyLimits.defaults());

        assertEquals(Vectors.args(v.get("args")), p.args(), "args");
        if (v.has("files")) {
            List<UploadedFile> expected = new ArrayList<>();
            for (JsonNode f : v.get("files")) {
                expected.add(new UploadedFile(f.get(0).asText(), f.get(1).asText(), f.get(2).asText(), f.get(3).asLong()));
            }
            assertEquals(expected, p.files(), "files");
        }
        if (v.has("partHeaders")) {
            assertEquals(Vectors.strings(v.get("partHeaders")), p.partHeaders(), "part headers");
        }
        Set<String> flags = new TreeSet<>(Vectors.strings(v.get("flags")));
        assertEquals(flags, p.multipartFlags(), "flags");
        assertEquals(!flags.isEmpty(), p.multipartStrictError());
        if (v.get("error").asBoolean()) {
            assertNotNull(p.error(), "error expected");
        } else {
            assertNull(p.error(), "no error expected");
        }
        assertFalse(p.limitExceeded());
    }

    @Test
    void partLimit() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            sb.append("--b\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nv\r\n");
        }
        sb.append("--b--\r\n");
        ParsedBody p = parse("multipart/form-data; boundary=b", sb.toString().getBytes(StandardCharsets.US_ASCII),
                new BodyLimits(1000, 64, 200, 100));
        assertTrue(p.limitExceeded());
        assertEquals(200, p.args().size());
    }

    @Test
    void argLimit() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sb.append("--b\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nv\r\n");
        }
        sb.append("--b--\r\n");
        ParsedBody p = parse("multipart/form-data; boundary=b", sb.toString().getBytes(StandardCharsets.US_ASCII),
                new BodyLimits(10, 64, 200, 100));
        assertTrue(p.limitExceeded());
        assertEquals(10, p.args().size());
    }

    @Test
    void tooManyHeadersInOnePart() {
        StringBuilder sb = new StringBuilder("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n");
        for (int i = 0; i < 100; i++) {
            sb.append("X-H").append(i).append(": v\r\n");
        }
        sb.append("\r\nv\r\n--b--\r\n");
        ParsedBody p = parse("multipart/form-data; boundary=b", sb.toString().getBytes(StandardCharsets.US_ASCII),
                BodyLimits.defaults());
        assertEquals(MultipartParser.MAX_HEADERS_PER_PART, p.partHeaders().size());
        assertTrue(p.multipartFlags().contains(ParsedBody.FLAG_INVALID_PART));
    }

    @Test
    void nullContentTypeIsAnError() {
        ParsedBody p = parse(null, "--b\r\n".getBytes(StandardCharsets.US_ASCII), BodyLimits.defaults());
        assertNotNull(p.error());
        assertTrue(p.multipartFlags().contains(ParsedBody.FLAG_BOUNDARY_MISSING));
    }

    @Test
    void manyShortLinesAndLongBoundaryStayLinear() {
        String boundary = "B".repeat(70);
        StringBuilder sb = new StringBuilder("--").append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n");
        // Lines that share a long prefix with the delimiter force the longest comparisons.
        String lookalike = "--" + "B".repeat(69) + "\n";
        sb.append(lookalike.repeat(60_000));
        sb.append("\r\n--").append(boundary).append("--\r\n");
        byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        ParsedBody p = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> parse("multipart/form-data; boundary=" + boundary, body, BodyLimits.defaults()));
        assertNull(p.error());
        assertEquals(1, p.args().size());
    }

    @Test
    void massiveHeaderFoldingStaysLinear() {
        StringBuilder sb = new StringBuilder("--b\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Long: v\r\n");
        sb.append(" f\r\n".repeat(200_000));
        sb.append("\r\nv\r\n--b--\r\n");
        byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        ParsedBody p = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> parse("multipart/form-data; boundary=b", body, BodyLimits.defaults()));
        assertEquals(Set.of(ParsedBody.FLAG_HEADER_FOLDING), p.multipartFlags());
        assertEquals("X-Long: v".length() + 2 * 200_000, p.partHeaders().get(1).length());
        assertEquals(List.of(new Arg("a", "v")), p.args());
    }

    @Test
    void randomGarbageNeverThrows() {
        Random rnd = new Random(42);
        byte[] alphabet = "--b\r\n:;=\"' \tContent-Disposition form-data name filename\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 2000; round++) {
            byte[] body = new byte[rnd.nextInt(300)];
            for (int i = 0; i < body.length; i++) {
                body[i] = alphabet[rnd.nextInt(alphabet.length)];
            }
            ParsedBody p = parse("multipart/form-data; boundary=b", body, BodyLimits.defaults());
            assertNotNull(p);
            if (p.error() != null) {
                assertFalse(p.error().contains("internal"), p.error());
            }
        }
    }
}

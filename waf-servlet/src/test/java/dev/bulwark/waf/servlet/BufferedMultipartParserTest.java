package dev.bulwark.waf.servlet;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link MultipartBody}, the parser behind {@code BufferedRequest.getParts()}, on good and hostile input. */
class BufferedMultipartParserTest {

    private static final String CT = MultipartFixture.CONTENT_TYPE;
    private static final String B = MultipartFixture.BOUNDARY;
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    private static List<BufferedPart> parse(String contentType, byte[] body, int maxParts) throws ServletException {
        return MultipartBody.parse(contentType, body, body.length, maxParts, TMP);
    }

    private static List<BufferedPart> parse(String body) throws ServletException {
        return parse(CT, body.getBytes(StandardCharsets.ISO_8859_1), 200);
    }

    private static String message(String contentType, String body) {
        return assertThrows(ServletException.class,
                () -> parse(contentType, body.getBytes(StandardCharsets.ISO_8859_1), 200)).getMessage();
    }

    private static byte[] content(BufferedPart p) throws IOException {
        return p.getInputStream().readAllBytes();
    }

    @Test
    void partsAreExactSlicesWithTheirMetadata() throws Exception {
        byte[] file = MultipartFixture.hostileBinary();
        byte[] body = new MultipartFixture().field("a", "1").file("up", "x.bin", "image/png", file)
                .field("empty", "").build();
        List<BufferedPart> parts = parse(CT, body, 200);
        assertEquals(3, parts.size());
        assertEquals("a", parts.get(0).getName());
        assertNull(parts.get(0).getSubmittedFileName());
        assertArrayEquals("1".getBytes(StandardCharsets.US_ASCII), content(parts.get(0)));
        BufferedPart up = parts.get(1);
        assertEquals("x.bin", up.getSubmittedFileName());
        assertEquals("image/png", up.getContentType());
        assertEquals("image/png", up.getHeader("content-type"));
        assertEquals(List.of("Content-Disposition", "Content-Type"), List.copyOf(up.getHeaderNames()));
        assertEquals(file.length, up.getSize());
        assertArrayEquals(file, content(up));
        assertEquals(0, parts.get(2).getSize());
        up.delete();
        assertThrows(IOException.class, up::getInputStream);
    }

    @Test
    void preambleEpilogueLfLinesAndPaddingAreAccepted() throws Exception {
        List<BufferedPart> parts = parse("preamble\r\n--" + B + "  \n"
                + "Content-Disposition: form-data; name=\"f\"\n\nvalue\n--" + B + "--\r\nepilogue");
        assertEquals(1, parts.size());
        assertArrayEquals("value".getBytes(StandardCharsets.US_ASCII), content(parts.get(0)));
    }

    @Test
    void foldedHeaderIsJoined() throws Exception {
        List<BufferedPart> parts = parse("--" + B + "\r\nContent-Disposition: form-data;\r\n\tname=\"folded\";\r\n"
                + " filename=\"f.txt\"\r\nX-Multi: one\r\nx-multi: two\r\n\r\nv\r\n--" + B + "--\r\n");
        assertEquals("folded", parts.get(0).getName());
        assertEquals("f.txt", parts.get(0).getSubmittedFileName());
        assertEquals(List.of("one", "two"), List.copyOf(parts.get(0).getHeaders("X-MULTI")));
        assertEquals(List.of("Content-Disposition", "X-Multi"), List.copyOf(parts.get(0).getHeaderNames()));
    }

    @Test
    void quotingAndExtendedFileNames() throws Exception {
        List<BufferedPart> parts = parse("--" + B + "\r\nContent-Disposition: form-data; name=\"a\\\"b\"; "
                + "filename=\"C:\\dir\\x.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt\r\n\r\nv\r\n--" + B + "--");
        assertEquals("a\"b", parts.get(0).getName());
        assertEquals("\u20ac rates.txt", parts.get(0).getSubmittedFileName());
        assertEquals("x", parse("--" + B + "\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n--" + B + "--")
                .get(0).getName());
    }

    @Test
    void quotedBoundaryAndCaseInsensitiveType() throws Exception {
        byte[] body = ("--a b\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nv\r\n--a b--")
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals("q", parse("Multipart/Form-Data ; charset=utf-8; BOUNDARY=\"a b\"", body, 5).get(0).getName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"multipart/form-data", "multipart/form-data; charset=x", "multipart/form-data; boundary=",
            "multipart/form-data; boundary=\"unterminated", "multipart/form-data; boundary=a; boundary=b",
            "multipart/form-data; boundary=a\"b", "multipart/form-data; boundary", "multipart/form-data; boundary=\"\""})
    void badBoundaryParameterIsRefused(String contentType) {
        String m = message(contentType, "--a\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n--a--");
        assertTrue(m.startsWith("malformed multipart/form-data body"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "multipart/mixed; boundary=a", "application/x-www-form-urlencoded"})
    void otherTypesAreNotMultipartFormData(String contentType) {
        assertTrue(message(contentType, "").contains("not multipart/form-data"));
    }

    @Test
    void missingOrBrokenStructureIsRefused() {
        String cd = "Content-Disposition: form-data; name=\"f\"\r\n";
        assertTrue(message(CT, "no delimiter at all").contains("boundary not found"));
        assertTrue(message(CT, "").contains("boundary not found"));
        assertTrue(message(CT, "--" + B + "\r\n" + cd + "\r\nvalue\r\n").contains("final boundary missing"));
        assertTrue(message(CT, "--" + B + "\r\n" + cd).contains("not terminated"));
        assertTrue(message(CT, "--" + B + "\r\n" + cd + "--" + B + "--\r\n").contains("blank line"));
        assertTrue(message(CT, "--" + B + "\r\n\tfolded: x\r\n\r\nv\r\n--" + B + "--").contains("folded"));
        assertTrue(message(CT, "--" + B + "\r\nno colon\r\n\r\nv\r\n--" + B + "--").contains("colon"));
        assertTrue(message(CT, "--" + B + "\r\nX-A: b\r\n\r\nv\r\n--" + B + "--").contains("without Content-Disposition"));
        assertTrue(message(CT, "--" + B + "\r\n" + cd + cd + "\r\nv\r\n--" + B + "--").contains("repeated"));
        assertTrue(message(CT, "--" + B + "\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--" + B + "--")
                .contains("not form-data"));
        assertTrue(message(CT, "--" + B + "\r\nContent-Disposition: form-data; filename=a\r\n\r\nv\r\n--" + B + "--")
                .contains("without name"));
        assertTrue(message(CT, "--" + B + "\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--" + B + "--")
                .contains("unterminated"));
        assertTrue(message(CT, "--" + B + "\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--" + B + "--")
                .contains("repeated"));
    }

    @Test
    void tenThousandPartsStopAtTheLimit() {
        MultipartFixture f = new MultipartFixture();
        for (int i = 0; i < 10_000; i++) {
            f.field("p" + i, "v");
        }
        byte[] body = f.build();
        ServletException e = assertThrows(ServletException.class, () -> parse(CT, body, 200));
        assertEquals("multipart body has more than 200 parts", e.getMessage());
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
            assertEquals(10_000, parse(CT, body, 10_000).size());
        });
    }

    @Test
    void tooManyHeadersInOnePartAreRefused() {
        StringBuilder s = new StringBuilder("--" + B + "\r\nContent-Disposition: form-data; name=a\r\n");
        for (int i = 0; i < MultipartBody.MAX_HEADERS_PER_PART; i++) {
            s.append("X-H: ").append(i).append("\r\n");
        }
        assertTrue(message(CT, s + "\r\nv\r\n--" + B + "--").contains("too many part headers"));
    }

    /** Pathological shapes stay linear: a quadratic parser would take minutes on these. */
    @Test
    void hostileShapesAreLinear() {
        int n = 2_000_000;
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        // Millions of lines that each start like the delimiter.
        String near = "--" + B.substring(0, B.length() - 1) + "\n";
        while (lines.size() < n) {
            lines.writeBytes(near.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] nearMisses = lines.toByteArray();
        // A header folded over a million continuation lines.
        StringBuilder folded = new StringBuilder("--" + B + "\r\nContent-Disposition: form-data; name=a\r\nX: y\r\n");
        for (int i = 0; i < 500_000; i++) {
            folded.append(" z\r\n");
        }
        byte[] foldedBody = (folded + "\r\nv\r\n--" + B + "--").getBytes(StandardCharsets.US_ASCII);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            assertThrows(ServletException.class, () -> parse(CT, nearMisses, 200));
            assertEquals(1, parse(CT, foldedBody, 200).size());
        });
    }

    /** Every truncation and a byte flip at every position: a part list or a ServletException, nothing else. */
    @Test
    void truncatedAndCorruptedBodiesOnlyEverThrowServletException() {
        byte[] body = new MultipartFixture().field("a", "1").file("f", "n.bin", "x/y", new byte[] {0, '\r', '\n', '-'})
                .build();
        for (int len = 0; len <= body.length; len++) {
            try {
                MultipartBody.parse(CT, body, len, 200, TMP);
            } catch (ServletException expected) {
                // fine: a clear refusal
            }
        }
        for (int i = 0; i < body.length; i++) {
            for (byte v : new byte[] {'\n', '\r', '"', ';', ' ', '-', (byte) 0xff}) {
                byte[] copy = body.clone();
                copy[i] = v;
                try {
                    parse(CT, copy, 200);
                } catch (ServletException expected) {
                    // fine
                }
            }
        }
    }
}

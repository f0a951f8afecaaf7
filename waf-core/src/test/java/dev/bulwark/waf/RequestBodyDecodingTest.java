package dev.bulwark.waf;

import dev.bulwark.waf.testing.Compression;
import static dev.bulwark.waf.testing.Compression.deflate;
import static dev.bulwark.waf.testing.Compression.gzip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Engine-level: what rules on ARGS and REQUEST_BODY_UNPARSED see of encoded, lenient-JSON and
 * undeclared bodies, and the statuses of bodies the engine cannot decode.
 */
class RequestBodyDecodingTest {

    static final String PAYLOAD = "' OR 1=1--";
    static final String FORM = "q=%27+OR+1%3D1--&x=1";
    static final String JSON = "{\"q\": \"' OR 1=1--\"}";

    /** Rule 10 looks at ARGS only, 11 at REQUEST_BODY_UNPARSED only, 12 reports REQBODY_PROCESSOR. */
    static final String RULES = """
            rules:
              - {id: 10, phase: 2, targets: [ARGS], transforms: [lowercase], operator: "@contains ' or 1=1", action: deny, status: 403}
            """;
    static final String RAW_RULE = """
            rules:
              - {id: 11, phase: 2, targets: [REQUEST_BODY_UNPARSED], transforms: [urlDecodeUni, lowercase], operator: "@contains ' or 1=1", action: deny, status: 406}
            """;
    static final String PROCESSOR_RULE = """
            rules:
              - {id: 12, phase: 2, targets: [REQBODY_PROCESSOR], operator: "@rx ^", action: deny, status: 409, msg: "p=%{MATCHED_VAR}"}
            """;

    static final Waf ARGS_WAF = waf(RULES, Limits.defaults());
    static final Waf RAW_WAF = waf(RAW_RULE, Limits.defaults());
    static final Waf LENIENT_ARGS_WAF = Waf.builder().serviceLoader(false).rules("test.yaml", RULES)
            .strictParsing(StrictParsing.disabled()).build();

    static Waf waf(String yaml, Limits limits) {
        return Waf.builder().serviceLoader(false).rules("test.yaml", yaml).limits(limits).build();
    }

    /** POSTs {@code body}; headers are name/value pairs (Content-Type included when wanted). */
    static Verdict post(Waf waf, byte[] body, String... headers) {
        try (Transaction tx = waf.newTransaction()) {
            tx.connection("127.0.0.1", 5555, "127.0.0.1", 8080);
            tx.requestLine("POST", "/api", "HTTP/1.1");
            for (int i = 0; i < headers.length; i += 2) {
                tx.requestHeader(headers[i], headers[i + 1]);
            }
            Verdict v = tx.processRequestHeaders();
            if (v.interrupts()) {
                return v;
            }
            // In pieces, as connectors deliver it.
            for (int off = 0; off < body.length; off += 8192) {
                v = tx.requestBody(body, off, Math.min(8192, body.length - off));
                if (v.interrupts()) {
                    return v;
                }
            }
            return tx.processRequestBody();
        }
    }

    static int status(Verdict v) {
        return v instanceof Verdict.Deny d ? d.status() : 0;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #FORM} as brotli (window 22), made with Node's zlib. */
    static final byte[] BROTLI_FORM = Base64.getDecoder().decode(Compression.BROTLI_FORM_BASE64);

    // ---- Content-Encoding ----

    @Test
    void encodedFormsAndJsonAreInspectedDecoded() throws IOException {
        String form = "application/x-www-form-urlencoded";
        String json = "application/json";
        assertEquals(403, status(post(ARGS_WAF, gzip(utf8(FORM)), "Content-Type", form, "Content-Encoding", "gzip")));
        assertEquals(403, status(post(ARGS_WAF, gzip(utf8(FORM)), "Content-Type", form, "Content-Encoding", "x-gzip")));
        assertEquals(403, status(post(ARGS_WAF, deflate(utf8(JSON), true), "Content-Type", json, "Content-Encoding", "deflate")));
        assertEquals(403, status(post(ARGS_WAF, deflate(utf8(JSON), false), "Content-Type", json, "Content-Encoding", "deflate")));
        assertEquals(403, status(post(ARGS_WAF, deflate(gzip(utf8(FORM)), true),
                "Content-Type", form, "Content-Encoding", "gzip, deflate")));
        // The same codings as two header fields: strict parsing refuses repeated framing headers
        // (some servers read only one of them); without it both are undone.
        assertEquals(400, status(post(ARGS_WAF, deflate(gzip(utf8(FORM)), true),
                "Content-Type", form, "Content-Encoding", "gzip", "Content-Encoding", "deflate")));
        assertEquals(403, status(post(LENIENT_ARGS_WAF, deflate(gzip(utf8(FORM)), true),
                "Content-Type", form, "Content-Encoding", "gzip", "Content-Encoding", "deflate")));
        assertEquals(403, status(post(ARGS_WAF, BROTLI_FORM, "Content-Type", form, "Content-Encoding", "br")));
        // Undeclared type: the decoded text is sniffed as a form.
        assertEquals(403, status(post(ARGS_WAF, gzip(utf8(FORM)), "Content-Encoding", "gzip")));
        // And the decoded raw text is what REQUEST_BODY_UNPARSED holds.
        assertEquals(406, status(post(RAW_WAF, gzip(utf8(FORM)), "Content-Type", "text/plain", "Content-Encoding", "gzip")));
    }

    @Test
    void cleanEncodedBodiesPass() throws IOException {
        byte[] body = gzip(utf8("q=hello&x=1"));
        Verdict v = post(ARGS_WAF, body, "Content-Type", "application/x-www-form-urlencoded", "Content-Encoding", "gzip");
        assertFalse(v.interrupts(), v.toString());
        assertFalse(post(ARGS_WAF, utf8("q=hello"), "Content-Type", "application/x-www-form-urlencoded",
                "Content-Encoding", "identity").interrupts());
    }

    @Test
    void bodiesThatCannotBeDecodedAreRefused() throws IOException {
        String form = "application/x-www-form-urlencoded";
        assertEquals(415, status(post(ARGS_WAF, utf8("q=1"), "Content-Type", form, "Content-Encoding", "compress")));
        assertEquals(415, status(post(ARGS_WAF, utf8("q=1"), "Content-Type", form, "Content-Encoding", "zstd")));
        assertEquals(415, status(post(ARGS_WAF, gzip(gzip(gzip(gzip(utf8(FORM))))), "Content-Type", form,
                "Content-Encoding", "gzip, gzip, gzip, gzip")));
        assertEquals(415, status(post(ARGS_WAF, new byte[] {0x0F, 0x00}, "Content-Type", form, "Content-Encoding", "br")));
        assertEquals(400, status(post(ARGS_WAF, utf8(FORM), "Content-Type", form, "Content-Encoding", "gzip")));
        byte[] gz = gzip(utf8(FORM));
        gz[gz.length - 6] ^= 0x40;
        assertEquals(400, status(post(ARGS_WAF, gz, "Content-Type", form, "Content-Encoding", "gzip")), "bad CRC");
    }

    @Test
    void detectionOnlyRecordsButDoesNotBlockUndecodableBodies() {
        Waf w = ARGS_WAF.withMode(Mode.DETECTION_ONLY);
        assertFalse(post(w, utf8("q=1"), "Content-Type", "text/plain", "Content-Encoding", "compress").interrupts());
    }

    @Test
    void gzipBombIsAnswered413() throws IOException {
        byte[] bomb = zerosGzipped(1L << 30);
        // Room for the whole compressed bomb, so the ratio is what stops it.
        Limits roomy = Limits.defaults().withMaxInspectedBodyBytes(4 << 20);
        Verdict v = post(waf(RULES, roomy), bomb, "Content-Type", "application/x-www-form-urlencoded",
                "Content-Encoding", "gzip");
        assertEquals(413, status(v));
        assertTrue(((Verdict.Deny) v).reason().contains("ratio"), ((Verdict.Deny) v).reason());
        // inspect-partial does not let a bomb through either.
        Verdict partial = post(waf(RULES, roomy.withOnBodyLimit(Limits.BodyLimitAction.INSPECT_PARTIAL)), bomb,
                "Content-Type", "application/x-www-form-urlencoded", "Content-Encoding", "gzip");
        assertEquals(413, status(partial));
        // A body whose decoded size passes maxInspectedBodyBytes is handled like a large plain body.
        Verdict tooBig = post(waf(RULES, roomy.withMaxDecompressionRatio(1_000_000)), bomb,
                "Content-Type", "application/x-www-form-urlencoded", "Content-Encoding", "gzip");
        assertEquals(413, status(tooBig));
        assertTrue(((Verdict.Deny) tooBig).reason().contains("larger than"), ((Verdict.Deny) tooBig).reason());
    }

    @Test
    void inspectPartialInspectsTheDecodedPrefix() throws IOException {
        StringBuilder sb = new StringBuilder("q=%27+OR+1%3D1--");
        while (sb.length() < 300_000) {
            sb.append("&pad=").append(sb.length());
        }
        byte[] gz = gzip(utf8(sb.toString()));
        Limits partial = Limits.defaults().withMaxInspectedBodyBytes(64 << 10)
                .withOnBodyLimit(Limits.BodyLimitAction.INSPECT_PARTIAL);
        // Decoded size about 300 KB, inspected 64 KiB: the payload at the start is seen, the
        // rest passes uninspected as with a plain body.
        assertEquals(403, status(post(waf(RULES, partial), gz, "Content-Type", "application/x-www-form-urlencoded",
                "Content-Encoding", "gzip")));
        Verdict clean = post(waf(RULES, partial), gzip(utf8(sb.substring(16))),
                "Content-Type", "application/x-www-form-urlencoded", "Content-Encoding", "gzip");
        assertFalse(clean.interrupts(), clean.toString());
    }

    static byte[] zerosGzipped(long size) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        try (OutputStream out = new GZIPOutputStream(bos, 1 << 16)) {
            for (long done = 0; done < size; done += chunk.length) {
                out.write(chunk);
            }
        }
        return bos.toByteArray();
    }

    // ---- lenient JSON ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"q\": NaN, \"a\": \"' OR 1=1--\"}",
        "{\"q\": -Infinity, \"a\": \"' OR 1=1--\"}",
        "{/* c */ \"a\": \"' OR 1=1--\"}",
        "{'a': '\\' OR 1=1--'}",
        "{a: \"' OR 1=1--\"}",
        "{\"a\": \"' OR 1=1--\",}",
        "{\"a\": \"safe\", \"a\": \"' OR 1=1--\"}",
        "{\"a\": \"' OR 1=1--\", \"a\": \"safe\"}",
    })
    void lenientJsonValuesAreArgs(String body) {
        assertEquals(403, status(post(ARGS_WAF, utf8(body), "Content-Type", "application/json")));
    }

    @Test
    void rawControlCharactersInJson() {
        assertEquals(403, status(post(ARGS_WAF, utf8("{\"a\": \"\u0001' OR 1=1--\n\"}"), "Content-Type", "application/json")));
    }

    @Test
    void unparseableJsonIsRawForEveryRule() {
        // Not even lenient JSON: ARGS holds what came before the error, the raw body the rest.
        byte[] body = utf8("{\"x\": 1, \"a\": [' OR 1=1--}");
        assertEquals(406, status(post(RAW_WAF, body, "Content-Type", "application/json")));
        // A cleanly parsed JSON body is not inspected twice.
        assertFalse(post(RAW_WAF, utf8(JSON), "Content-Type", "application/json").interrupts());
    }

    // ---- undeclared and JSON-ish types ----

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "text/plain|{\"q\": \"' OR 1=1--\"}",
        "text/plain; charset=utf-8|q=%27+OR+1%3D1--",
        "text/plain|q=' OR 1=1--",
        "|{\"q\": \"' OR 1=1--\"}",
        "|q=%27+OR+1%3D1--",
        "application/octet-stream|[\"' OR 1=1--\"]",
        "application/graphql|{\"query\": \"{ a }\", \"variables\": {\"q\": \"' OR 1=1--\"}}",
        "application/x-json|{\"q\": \"' OR 1=1--\"}",
        "application/csp-report|{\"csp-report\": {\"blocked-uri\": \"' OR 1=1--\"}}",
        "application/vnd.api+json|{\"q\": \"' OR 1=1--\"}",
        "application/x-ndjson|{\"q\": 1}\\n{\"q\": \"' OR 1=1--\"}",
        "text/plain|{\"q\": 1}\\n{\"q\": \"' OR 1=1--\"}",
        "application/foo|{q: NaN, a: '\\' OR 1=1--'}",
    })
    void undeclaredAndJsonishBodiesReachArgs(String contentType, String body) {
        byte[] b = utf8(body.replace("\\n", "\n"));
        Verdict v = contentType == null ? post(ARGS_WAF, b) : post(ARGS_WAF, b, "Content-Type", contentType);
        assertEquals(403, status(v));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "text/plain|{\"a\": 1}|JSON",
        "text/plain|a=1&b=2|URLENCODED",
        "text/plain|hello world|''",
        "text/plain|{not json|''",
        "|[1,2]|JSON",
        "application/json|{\"a\": 1}|JSON",
        "application/x-www-form-urlencoded|a=1|URLENCODED",
        "application/graphql|query { a }|''",
    })
    void processorSaysWhatHappened(String contentType, String body, String expected) {
        Waf w = waf(PROCESSOR_RULE, Limits.defaults());
        Verdict v = contentType == null ? post(w, utf8(body)) : post(w, utf8(body), "Content-Type", contentType);
        Verdict.Deny d = assertInstanceOf(Verdict.Deny.class, v);
        assertEquals("p=" + expected.replace("''", ""), d.matches().get(0).message());
    }

    @Test
    void undeclaredBodiesAreAlsoRaw() {
        // Even when sniffed as JSON or a form, the raw text stays in REQUEST_BODY_UNPARSED.
        assertEquals(406, status(post(RAW_WAF, utf8(JSON), "Content-Type", "text/plain")));
        assertEquals(406, status(post(RAW_WAF, utf8(FORM))));
        assertEquals(406, status(post(RAW_WAF, utf8("hello ' or 1=1-- world"), "Content-Type", "text/plain")));
        // Declared and cleanly parsed: ARGS has it all.
        assertFalse(post(RAW_WAF, utf8(FORM), "Content-Type", "application/x-www-form-urlencoded").interrupts());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"q\": \"' OR 1=1--\"}",
        "  [\"' OR 1=1--\"]",
        "{\"a\": {\"b\": [1, \"x' OR 1=1-- \"]}}",
        "\uFEFF{\"q\":\"' OR 1=1--\"}",
    })
    void jsonSentAsAFormIsAlsoReadAsJson(String body) {
        // Apps with catch-all JSON parsers read it as JSON; the form parse alone splits the
        // payload at '=' (name "{\"q\": \"' OR 1", value "1--\"}").
        assertEquals(403, status(post(ARGS_WAF, utf8(body), "Content-Type", "application/x-www-form-urlencoded")));
        assertEquals(403, status(post(LENIENT_ARGS_WAF, utf8(body),
                "Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")));
        // Two readings: the raw text is inspected too.
        assertEquals(406, status(post(RAW_WAF, utf8(body), "Content-Type", "application/x-www-form-urlencoded")));
        Verdict.Deny d = assertInstanceOf(Verdict.Deny.class, post(waf(PROCESSOR_RULE, Limits.defaults()), utf8(body),
                "Content-Type", "application/x-www-form-urlencoded"));
        assertEquals("p=URLENCODED", d.matches().get(0).message());
    }

    @Test
    void formThatIsNotJsonStaysAForm() {
        // Starts like JSON but does not parse as JSON: a form only, covered by ARGS.
        String body = "{a=%27+OR+1%3D1--";
        assertEquals(403, status(post(ARGS_WAF, utf8(body), "Content-Type", "application/x-www-form-urlencoded")));
        assertFalse(post(RAW_WAF, utf8("{a=1&b=2"), "Content-Type", "application/x-www-form-urlencoded").interrupts());
        // A benign JSON "form" passes.
        assertFalse(post(ARGS_WAF, utf8("{\"a\": 1}"), "Content-Type", "application/x-www-form-urlencoded").interrupts());
    }

    @Test
    void undeclaredJsonWithInvalidUtf8StillGivesArgs() {
        // Express-style parsers replace invalid bytes and parse on; so must the sniffed parse.
        byte[] head = utf8("{\"a\": \"");
        byte[] tail = utf8("\", \"q\": \"' OR 1=1--\"}");
        byte[] body = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xFF;
        System.arraycopy(tail, 0, body, head.length + 1, tail.length);
        assertEquals(403, status(post(ARGS_WAF, body, "Content-Type", "text/plain")));
    }

    @Test
    void brokenMultipartIsRaw() {
        byte[] body = utf8("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n' OR 1=1--\r\n");
        // Strict parsing refuses it outright; without it the raw text is still inspected.
        assertEquals(400, status(post(RAW_WAF, body, "Content-Type", "multipart/form-data; boundary=zzz")));
        Waf lenient = Waf.builder().serviceLoader(false).rules("test.yaml", RAW_RULE)
                .strictParsing(StrictParsing.disabled()).build();
        assertEquals(406, status(post(lenient, body, "Content-Type", "multipart/form-data; boundary=zzz")));
    }
}

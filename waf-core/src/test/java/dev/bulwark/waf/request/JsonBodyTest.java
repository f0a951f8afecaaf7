package dev.bulwark.waf.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonBodyTest {

    static Stream<Arguments> vectors() {
        return Vectors.load("json.json");
    }

    private static ParsedBody parse(byte[] body, BodyLimits limits) {
        return BodyParser.parse(BodyProcessor.JSON, "application/json", body, 0, body.length, limits);
    }

    private static ParsedBody parse(String body, BodyLimits limits) {
        return parse(body.getBytes(StandardCharsets.UTF_8), limits);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vector(String name, JsonNode v) {
        ParsedBody p = parse(v.get("body").asText(), BodyLimits.defaults());
        assertEquals(Vectors.args(v.get("args")), p.args());
        if (v.get("error").asBoolean()) {
            assertNotNull(p.error());
        } else {
            assertNull(p.error());
        }
        assertFalse(p.limitExceeded());
        assertTrue(p.files().isEmpty() && p.xml().isEmpty() && p.multipartFlags().isEmpty());
    }

    @Test
    void tenThousandDeepIsRejectedAtTheDepthLimit() {
        String body = "[".repeat(10_000) + "1" + "]".repeat(10_000);
        ParsedBody p = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> parse(body, BodyLimits.defaults()));
        assertTrue(p.limitExceeded());
        assertNotNull(p.error());
        assertTrue(p.args().isEmpty());
    }

    @Test
    void depthLimitIsExact() {
        BodyLimits limits = new BodyLimits(100, 3, 10, 100);
        ParsedBody ok = parse("{\"a\":{\"b\":{\"c\":1}}}", limits);
        assertNull(ok.error());
        assertEquals("json.a.b.c", ok.args().get(0).name());
        ParsedBody deep = parse("{\"a\":{\"b\":{\"c\":[1]}}}", limits);
        assertTrue(deep.limitExceeded());
    }

    @Test
    void tooManyValues() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 100_000; i++) {
            sb.append(i == 0 ? "" : ",").append(i);
        }
        sb.append(']');
        ParsedBody p = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> parse(sb.toString(), BodyLimits.defaults()));
        assertTrue(p.limitExceeded());
        assertEquals(1000, p.args().size());
        assertEquals(new Arg("json.999", "999"), p.args().get(999));
    }

    @Test
    void invalidUtf8IsAnErrorButBytesStayVisible() {
        // C0 AF is an overlong '/': rules must see the slash it hides, and the stray FF byte, not U+FFFD.
        byte[] body = {'{', '"', 'a', '"', ':', '"', '.', '.', (byte) 0xC0, (byte) 0xAF, (byte) 0xFF, '"', ',',
            '"', 'b', '"', ':', '2', '}'};
        ParsedBody p = parse(body, BodyLimits.defaults());
        assertEquals("JSON: invalid UTF-8", p.error());
        assertEquals(List.of(new Arg("json.a", "../\u00ff"), new Arg("json.b", "2")), p.args());
    }

    @Test
    void utf8BomIsSkipped() {
        byte[] body = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '[', '1', ']'};
        ParsedBody p = parse(body, BodyLimits.defaults());
        assertNull(p.error());
        assertEquals(List.of(new Arg("json.0", "1")), p.args());
    }

    @Test
    void longNamesAreCut() {
        String key = "k".repeat(5000);
        ParsedBody p = parse("{\"" + key + "\":{\"x\":1,\"y\":2}}", new BodyLimits(100, 8, 10, 64));
        assertEquals(2, p.args().size());
        assertEquals(64, p.args().get(0).name().length());
        assertEquals(("json." + key).substring(0, 64), p.args().get(1).name());
        assertTrue(p.limitExceeded(), "the rest of the name went uninspected");
    }

    @Test
    void errorMessagesDoNotEchoTheBody() {
        ParsedBody p = parse("{\"a\": SECRET_TOKEN_VALUE}", BodyLimits.defaults());
        assertNotNull(p.error());
        assertTrue(p.error().length() <= 200);
        assertFalse(p.error().contains("SECRET_TOKEN_VALUE"), p.error());
    }

    @Test
    void utf16BodyIsDetected() {
        byte[] body = "{\"a\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_16BE);
        ParsedBody p = parse(body, BodyLimits.defaults());
        assertNull(p.error());
        assertEquals(new Arg("json.a", "\u00e9"), p.args().get(0));
    }

    @Test
    void jsonLinesGiveEveryValueFromTheRoot() {
        byte[] body = "{\"q\":1}\n{\"q\":\"x\"}\n[true]\n".getBytes(StandardCharsets.UTF_8);
        List<Arg> expected = List.of(new Arg("json.q", "1"), new Arg("json.q", "x"), new Arg("json.0", "true"));
        for (String type : new String[] {"application/x-ndjson", "application/jsonl", "text/plain", null}) {
            ParsedBody p = BodyParser.parse(BodyProcessor.JSON, type, body, 0, body.length, BodyLimits.defaults());
            assertNull(p.error(), type);
            assertEquals(expected, p.args(), type);
        }
        // A declared single document with more after it stays an error.
        ParsedBody single = BodyParser.parse(BodyProcessor.JSON, "application/json", body, 0, body.length,
                BodyLimits.defaults());
        assertNotNull(single.error());
    }
}

package dev.bulwark.waf.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UrlEncodedTest {

    static Stream<Arguments> vectors() {
        return Vectors.load("urlencoded.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void parsesQueryStrings(String name, JsonNode v) {
        assertEquals(Vectors.args(v.get("args")), UrlEncoded.parse(v.get("input").asText(), 1000));
    }

    @ParameterizedTest(name = "body: {0}")
    @MethodSource("vectors")
    void bodyParserAgrees(String name, JsonNode v) {
        byte[] body = v.get("input").asText().getBytes(StandardCharsets.UTF_8);
        ParsedBody p = BodyParser.parse(BodyProcessor.URLENCODED, "application/x-www-form-urlencoded", body, 0,
                body.length, BodyLimits.defaults());
        assertEquals(Vectors.args(v.get("args")), p.args());
        assertNull(p.error());
        assertFalse(p.limitExceeded());
    }

    @Test
    void nullIsEmpty() {
        assertEquals(List.of(), UrlEncoded.parse(null, 10));
    }

    @Test
    void invalidUtf8BodyBytesKeptAsLatin1Chars() {
        byte[] body = {'a', '=', (byte) 0xFF, (byte) 0xC3, '&', 'b', '=', (byte) 0xC3, (byte) 0xA9};
        ParsedBody p = BodyParser.parse(BodyProcessor.URLENCODED, null, body, 0, body.length, BodyLimits.defaults());
        assertEquals(List.of(new Arg("a", "\u00ff\u00c3"), new Arg("b", "\u00e9")), p.args());
    }

    @Test
    void maxArgsTruncatesAndReports() {
        List<Arg> out = new ArrayList<>();
        assertTrue(UrlEncoded.parseInto("a=1&b=2&c=3", 2, out));
        assertEquals(List.of(new Arg("a", "1"), new Arg("b", "2")), out);
        // The budget is shared with what is already in the list (query string + body).
        assertTrue(UrlEncoded.parseInto("d=4", 2, out));
        assertEquals(2, out.size());
        assertFalse(UrlEncoded.parseInto("a=1&&&", 1, new ArrayList<>()));
    }

    @Test
    void hundredThousandArgsHitTheLimitQuickly() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            sb.append("p").append(i).append("=v&");
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        ParsedBody p = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> BodyParser.parse(
                BodyProcessor.URLENCODED, null, body, 0, body.length, BodyLimits.defaults()));
        assertTrue(p.limitExceeded());
        assertEquals(1000, p.args().size());
        assertEquals(new Arg("p999", "v"), p.args().get(999));
    }

    @Test
    void hugeSinglePairIsLinear() {
        String big = "a=" + "%".repeat(2_000_000) + "%4";
        List<Arg> args = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> UrlEncoded.parse(big, 10));
        assertEquals(2_000_002, args.get(0).value().length());
    }
}

package dev.bulwark.waf.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BodyProcessorTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "application/x-www-form-urlencoded|URLENCODED",
        "application/x-www-form-urlencoded; charset=UTF-8|URLENCODED",
        "  APPLICATION/X-WWW-FORM-URLENCODED  |URLENCODED",
        "multipart/form-data; boundary=abc|MULTIPART",
        "Multipart/Form-Data;boundary=abc|MULTIPART",
        "multipart/mixed; boundary=abc|NONE",
        "application/json|JSON",
        "application/json; charset=utf-8|JSON",
        "text/json|JSON",
        "application/vnd.api+json|JSON",
        "application/merge-patch+json|JSON",
        "application/xml|XML",
        "text/xml; charset=iso-8859-1|XML",
        "application/soap+xml|XML",
        "image/svg+xml|XML",
        "application/x-json|JSON",
        "text/x-json; charset=utf-8|JSON",
        "application/csp-report|JSON",
        "application/problem+json|JSON",
        "application/graphql-response+json|JSON",
        "foo/json|JSON",
        "application/jsonl|JSON",
        "application/x-ndjson|JSON",
        "application/ndjson|JSON",
        "application/json-seq|JSON",
        "application/graphql|NONE",
        "text/plain|NONE",
        "application/jsonx|NONE",
        "application/x-json-stream|NONE",
        "+json|NONE",
        "application/octet-stream|NONE",
        "''|NONE",
    })
    void mapsContentTypes(String contentType, BodyProcessor expected) {
        assertEquals(expected, BodyProcessor.forContentType(contentType));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\":1}|JSON",
        "  \\r\\n [1]|JSON",
        "\uFEFF{\"a\":1}|JSON",
        "q=1|URLENCODED",
        "q=' OR 1=1--|URLENCODED",
        "a=1&b=2\\r\\n|URLENCODED",
        "flag&q=x|URLENCODED",
        "a=1&&b=|URLENCODED",
        "%71=1|URLENCODED",
        "hello world|NONE",
        "flag|NONE",
        "=1|NONE",
        "a b=1|NONE",
        "a=1&b c=2|NONE",
        "x\\ty=1|NONE",
        "<xml a=\"1\"/>|NONE",
        "query { user(id: 1) { name } }|NONE",
    })
    void sniffsUndeclaredBodies(String body, BodyProcessor expected) {
        String text = body.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(expected, BodyProcessor.sniff(b, 0, b.length));
    }

    @Test
    void sniffOfNothingIsNone() {
        assertEquals(BodyProcessor.NONE, BodyProcessor.sniff(null, 0, 0));
        assertEquals(BodyProcessor.NONE, BodyProcessor.sniff(new byte[0], 0, 0));
        assertEquals(BodyProcessor.NONE, BodyProcessor.sniff(new byte[] {'a', '=', '1'}, 2, 5));
        assertEquals(BodyProcessor.NONE, BodyProcessor.sniff("   ".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, 3));
    }

    @Test
    void nullIsNone() {
        assertEquals(BodyProcessor.NONE, BodyProcessor.forContentType(null));
    }

    @Test
    void noUnicodeCaseFolding() {
        // U+017F LONG S upper-cases to 'S', so Unicode-aware case folding would accept it as 's'.
        assertEquals(BodyProcessor.NONE, BodyProcessor.forContentType("application/j\u017Fon"));
        assertEquals(BodyProcessor.NONE, BodyProcessor.forContentType("text/x\u212Aml".replace("\u212A", "")
                .replace("xml", "\u212Aml")));
    }
}

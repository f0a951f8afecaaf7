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

package dev.bulwark.waf.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LenientUtf8Test {

    static Stream<Arguments> vectors() {
        return Vectors.load("utf8.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodes(String name, JsonNode v) {
        byte[] bytes = HexFormat.of().parseHex(v.get("hex").asText());
        assertEquals(v.get("text").asText(), LenientUtf8.decode(bytes, 0, bytes.length));
    }

    @Test
    void honoursOffsetAndLength() {
        byte[] bytes = {'x', (byte) 0xC3, (byte) 0xA9, 'y'};
        assertEquals("\u00e9", LenientUtf8.decode(bytes, 1, 2));
        // A sequence cut by the slice end is not read past the slice.
        assertEquals("\u00c3", LenientUtf8.decode(bytes, 1, 1));
    }
}

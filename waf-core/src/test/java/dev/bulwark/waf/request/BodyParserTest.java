package dev.bulwark.waf.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bulwark.waf.Limits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BodyParserTest {

    @ParameterizedTest
    @EnumSource(BodyProcessor.class)
    void nullAndEmptyBodiesNeverThrow(BodyProcessor p) {
        assertNotNull(BodyParser.parse(p, null, null, 0, 0, null));
        assertNotNull(BodyParser.parse(p, "multipart/form-data; boundary=x", new byte[0], 0, 0, BodyLimits.defaults()));
    }

    @ParameterizedTest
    @EnumSource(BodyProcessor.class)
    void outOfRangeSliceIsAnError(BodyProcessor p) {
        byte[] b = new byte[4];
        assertEquals("body slice out of range", BodyParser.parse(p, null, b, 3, 2, null).error());
        assertEquals("body slice out of range", BodyParser.parse(p, null, b, -1, 1, null).error());
        assertEquals("body slice out of range", BodyParser.parse(p, null, b, 0, -1, null).error());
        assertEquals("body slice out of range", BodyParser.parse(p, null, b, Integer.MAX_VALUE, 2, null).error());
    }

    @Test
    void offsetIsHonoured() {
        byte[] b = "XXXa=1&b=2YYY".getBytes(StandardCharsets.US_ASCII);
        ParsedBody p = BodyParser.parse(BodyProcessor.URLENCODED, null, b, 3, 7, null);
        assertEquals(List.of(new Arg("a", "1"), new Arg("b", "2")), p.args());
        byte[] j = "junk{\"a\":1}junk".getBytes(StandardCharsets.US_ASCII);
        assertEquals(List.of(new Arg("json.a", "1")), BodyParser.parse(BodyProcessor.JSON, null, j, 4, 7, null).args());
    }

    @Test
    void longFormFieldNamesAreCutAndFlagged() {
        byte[] b = ("a=1&" + "n".repeat(40) + "=2").getBytes(StandardCharsets.US_ASCII);
        ParsedBody p = BodyParser.parse(BodyProcessor.URLENCODED, null, b, 0, b.length, new BodyLimits(10, 4, 4, 16));
        assertEquals(List.of(new Arg("a", "1"), new Arg("n".repeat(16), "2")), p.args());
        assertTrue(p.limitExceeded(), "the rest of the name went uninspected");
        assertFalse(BodyParser.parse(BodyProcessor.URLENCODED, null, b, 0, b.length, null).limitExceeded());
    }

    @Test
    void noneParsesNothing() {
        byte[] b = "a=1".getBytes(StandardCharsets.US_ASCII);
        ParsedBody p = BodyParser.parse(BodyProcessor.NONE, "text/plain", b, 0, b.length, null);
        assertTrue(p.args().isEmpty());
        assertNull(p.error());
        assertFalse(p.limitExceeded());
        assertFalse(p.multipartStrictError());
        assertEquals(BodyProcessor.NONE, p.processor());
    }

    @Test
    void resultIsImmutable() {
        byte[] b = "a=1".getBytes(StandardCharsets.US_ASCII);
        ParsedBody p = BodyParser.parse(BodyProcessor.URLENCODED, null, b, 0, b.length, null);
        assertThrows(UnsupportedOperationException.class, () -> p.args().add(new Arg("x", "y")));
        assertThrows(UnsupportedOperationException.class, () -> p.multipartFlags().add("X"));
    }

    @Test
    void limitsValidateAndDeriveFromEngineLimits() {
        assertThrows(IllegalArgumentException.class, () -> new BodyLimits(0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BodyLimits(1, 1, 1, -1));
        BodyLimits l = BodyLimits.from(Limits.defaults());
        assertEquals(Limits.defaults().maxArgs(), l.maxArgs());
        assertEquals(Limits.defaults().maxJsonDepth(), l.maxDepth());
        assertEquals(Limits.defaults().maxMultipartParts(), l.maxParts());
        assertEquals(BodyLimits.defaults(), l);
    }
}

package dev.bulwark.waf.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Vectors from {@code transform/utf8-lenient.json} ({@code hex} bytes to {@code expected}) plus round-trip properties. */
class Utf8LenientTest {

    static Stream<Arguments> vectors() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (InputStream in = Utf8LenientTest.class.getResourceAsStream("/transform/utf8-lenient.json")) {
            for (JsonNode v : new ObjectMapper().readTree(in)) {
                out.add(Arguments.of(v.get("name").asText(), v.get("hex").asText(), v.get("expected").asText()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodes(String name, String hex, String expected) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertEquals(expected, Utf8Lenient.decode(b, 0, b.length), name);
        // the same bytes embedded in a larger array decode the same
        byte[] padded = new byte[b.length + 4];
        System.arraycopy(b, 0, padded, 2, b.length);
        assertEquals(expected, Utf8Lenient.decode(padded, 2, b.length), name + " (offset)");
    }

    @Test
    void everySingleHighByteRoundTrips() {
        for (int v = 0x80; v <= 0xFF; v++) {
            byte[] b = {(byte) v};
            String s = Utf8Lenient.decode(b);
            assertEquals(String.valueOf((char) v), s);
            assertArrayEquals(b, Utf8Lenient.encode(s));
        }
    }

    @Test
    void digestBytesRoundTripThroughBinaryString() throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-1").digest("abc".getBytes());
        String binary = BinaryCodecs.digest("abc", "SHA-1");
        assertArrayEquals(d, Utf8Lenient.encode(binary));
    }

    @Test
    void textOutsideLatin1RoundTrips() {
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                int cp;
                switch (r.nextInt(3)) {
                    case 0 -> cp = r.nextInt(0x80);
                    case 1 -> cp = 0x100 + r.nextInt(0xD800 - 0x100);
                    default -> cp = 0x10000 + r.nextInt(0x100000);
                }
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertArrayEquals(utf8, Utf8Lenient.encode(s));
            assertEquals(utf8.length, Utf8Lenient.encodedLength(s));
            assertEquals(s, Utf8Lenient.decode(utf8));
        }
    }

    @Test
    void randomBytesNeverThrowAndKeepEveryInvalidByte() {
        Random r = new Random(7);
        for (int round = 0; round < 500; round++) {
            byte[] b = new byte[r.nextInt(64)];
            r.nextBytes(b);
            String s = Utf8Lenient.decode(b);
            // each output char consumed at least one byte, so nothing can be invented
            assertEquals(true, s.codePointCount(0, s.length()) <= b.length);
        }
    }

    @Test
    void loneSurrogateEncodesAsThreeBytes() {
        assertArrayEquals(new byte[] {(byte) 0xED, (byte) 0xB0, (byte) 0x80}, Utf8Lenient.encode("\uDC00"));
    }

    @Test
    void badBoundsAreRejected() {
        assertThrows(IndexOutOfBoundsException.class, () -> Utf8Lenient.decode(new byte[2], 1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> Utf8Lenient.decode(new byte[2], -1, 1));
    }
}

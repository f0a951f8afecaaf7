package dev.bulwark.waf.match;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EncodingValidatorsTest {

    /** Raw-byte UTF-8 validation: hex bytes, expected offset of the first invalid sequence. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'', -1",
        "41 42 43, -1",
        "C3 A9, -1",
        "E2 82 AC, -1",
        "F0 9F 98 80, -1",
        "F4 8F BF BF, -1",
        "EF BF BD, -1",
        "80, 0",
        "41 BF, 1",
        "C3, 0",
        "41 E2 82, 1",
        "C3 41, 0",
        "C0 AF, 0",
        "C1 BF, 0",
        "E0 80 AF, 0",
        "E0 9F BF, 0",
        "F0 8F BF BF, 0",
        "ED A0 80, 0",
        "ED 9F BF, -1",
        "F4 90 80 80, 0",
        "F5 80 80 80, 0",
        "FF, 0",
        "41 42 F0 9F 98, 2",
    })
    void rawUtf8(String hex, int expected) {
        byte[] b = bytes(hex);
        assertEquals(expected, EncodingValidators.firstInvalidUtf8(b, 0, b.length));
    }

    /** Offsets are absolute; bytes outside [off, off+len) are never read. */
    @ParameterizedTest
    @CsvSource({"41 41 C3 A9 80, 2, 3, 4", "C3 A9 80, 0, 2, -1", "80 41, 1, 1, -1", "E2 82 AC, 0, 2, 0"})
    void rawUtf8RespectsOffsetAndLength(String hex, int off, int len, int expected) {
        assertEquals(expected, EncodingValidators.firstInvalidUtf8(bytes(hex), off, len));
    }

    private static byte[] bytes(String hex) {
        String t = hex.trim();
        if (t.isEmpty()) {
            return new byte[0];
        }
        String[] parts = t.split(" ");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }
}

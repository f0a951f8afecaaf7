package dev.bulwark.waf.transform;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Transformations skip their work when a quick check shows the value cannot change (or only
 * changes case); on random values built from the characters those checks look at, the
 * shortcut must give exactly what the full transformation gives.
 */
class ShortcutEquivalenceTest {

    private static final String ALPHABET = "aZ9 ./\\\\(),;'\"^\t\r\n\u00a0\u0130\u212a-_";

    @Test
    void shortcutsAgreeWithTheFullTransformations() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int k = 0; k < 50_000; k++) {
            String s = random(rnd);
            assertEquals(TextTransforms.cmdLineFull(s), TextTransforms.cmdLine(s), () -> "cmdLine " + escape(s));
            assertEquals(TextTransforms.compressWhitespaceFull(s), TextTransforms.compressWhitespace(s),
                    () -> "compressWhitespace " + escape(s));
            assertEquals(PathNormalizer.normalizeFull(s, false), PathNormalizer.normalize(s, false), () -> "normalizePath " + escape(s));
            assertEquals(PathNormalizer.normalizeFull(s, true), PathNormalizer.normalize(s, true), () -> "normalizePathWin " + escape(s));
        }
    }

    private static String random(SplittableRandom rnd) {
        int n = rnd.nextInt(12);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return sb.toString();
    }
}

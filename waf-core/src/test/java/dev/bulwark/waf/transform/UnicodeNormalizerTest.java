package dev.bulwark.waf.transform;

import org.junit.jupiter.api.Test;

import java.text.Normalizer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of {@code unicodeNormalize} beyond the vectors in {@code vectors-unicode.json}. */
class UnicodeNormalizerTest {

    @Test
    void asciiIsReturnedAsTheSameInstance() {
        Random r = new Random(7);
        for (int round = 0; round < 2000; round++) {
            char[] cs = new char[r.nextInt(60)];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = (char) r.nextInt(0x80);
            }
            String s = new String(cs);
            assertSame(s, UnicodeNormalizer.normalize(s));
        }
    }

    /** Equal to the JDK's NFKC wherever no character expands beyond the bound. */
    @Test
    void agreesWithNfkcOnOrdinaryText() {
        Random r = new Random(11);
        String alphabet = "aZ'<>/.=( )\uff07\uff0e\uff0f\uff1c\uff1e\uff08\uff09\uff11\u30ab\u3099\u0301\u00e9"
                + "\uff76\u65e5\u00bd\u2460\ufb01\u00a0\u2126\u212b\u1100\u1161\uac00\u11a8";
        for (int round = 0; round < 5000; round++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(30);
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            assertEquals(Normalizer.normalize(s, Normalizer.Form.NFKC), UnicodeNormalizer.normalize(s), s);
        }
    }

    @Test
    void resultIsBoundedByTheExpansionLimit() {
        String worst = "\ufdfa".repeat(100_000);
        assertSame(worst, UnicodeNormalizer.normalize(worst));
        String mixed = ("\u3300\ufdfa\uff07").repeat(50_000);
        String out = UnicodeNormalizer.normalize(mixed);
        assertTrue(out.length() <= mixed.length() * UnicodeNormalizer.MAX_EXPANSION, "length " + out.length());
        assertTrue(out.contains("'"), "the full-width quote is still folded");
    }

    /** Every code point, alone: the result is NFKC or the kept character, never longer than the bound. */
    @Test
    void everyCodePointStaysWithinTheBound() {
        int kept = 0;
        for (int cp = 0x80; cp <= Character.MAX_CODE_POINT; cp++) {
            String c = new String(Character.toChars(cp));
            String where = "U+" + Integer.toHexString(cp);
            String out = UnicodeNormalizer.normalize(c);
            assertTrue(out.length() <= Math.max(c.length(), UnicodeNormalizer.MAX_EXPANSION), where);
            if (out.equals(c) && !Normalizer.isNormalized(c, Normalizer.Form.NFKC)) {
                kept++;
            } else {
                assertEquals(Normalizer.normalize(c, Normalizer.Form.NFKC), out, where);
            }
        }
        assertTrue(kept > 0 && kept < 200, "kept " + kept);
    }
}

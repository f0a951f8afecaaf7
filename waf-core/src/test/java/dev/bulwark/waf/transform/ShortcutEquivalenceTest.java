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

    /**
     * The run-copying rewrites of htmlEntityDecode, removeWhitespace, removeNulls,
     * base64DecodeRuns and the ASCII path of URL decoding against straightforward versions of
     * the same semantics.
     */
    @Test
    void bulkCopyingDecodersAgreeWithCharByCharReferences() {
        SplittableRandom rnd = new SplittableRandom(29);
        String alphabet = "&#;xX3c60abAZltgamp qQ\t\u0000\u00a0=+/-_9Zz%%%uC2A0F";
        for (int k = 0; k < 60_000; k++) {
            int n = rnd.nextInt(k % 10 == 0 ? 60 : 16);
            StringBuilder sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            assertEquals(referenceHtmlDecode(s), HtmlEntities.decode(s), () -> "htmlEntityDecode " + escape(s));
            assertEquals(referenceRemove(s, true), TextTransforms.removeWhitespace(s), () -> "removeWhitespace " + escape(s));
            assertEquals(referenceRemove(s, false), TextTransforms.removeNulls(s), () -> "removeNulls " + escape(s));
            for (boolean unicode : new boolean[] {false, true}) {
                String general = UrlDecoding.decodeGeneral(s, unicode);
                String fast = UrlDecoding.decode(s, unicode);
                assertEquals(general, fast, () -> "urlDecode " + escape(s));
                assertEquals(general.equals(s), fast == s, () -> "unchanged values come back as themselves: " + escape(s));
            }
            String b64 = "x" + java.util.Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + " " + s;
            assertEquals(referenceBase64Runs(b64), BinaryCodecs.base64DecodeRuns(b64), () -> "base64DecodeRuns " + escape(b64));
            assertEquals(referenceBase64Runs(s), BinaryCodecs.base64DecodeRuns(s), () -> "base64DecodeRuns " + escape(s));
        }
    }

    /** The decoder as it was: every char copied one by one, each '&' tried in place. */
    static String referenceHtmlDecode(String s) {
        StringBuilder sb = new StringBuilder();
        boolean changed = false;
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '&') {
                int next = HtmlEntities.decodeAt(s, i, sb);
                if (next > i) {
                    changed = true;
                    i = next;
                    continue;
                }
            }
            sb.append(s.charAt(i++));
        }
        return changed ? sb.toString() : s;
    }

    static String referenceRemove(String s, boolean whitespace) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            boolean drop = whitespace ? (c == ' ' || (c >= '\t' && c <= '\r') || c == '\u00a0') : c == '\0';
            if (!drop) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String referenceBase64Runs(String s) {
        StringBuilder out = null;
        int i = 0;
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
        while (i < s.length()) {
            if (alphabet.indexOf(s.charAt(i)) < 0) {
                i++;
                continue;
            }
            int start = i;
            boolean upperInside = false;
            boolean lower = false;
            while (i < s.length() && alphabet.indexOf(s.charAt(i)) >= 0) {
                char c = s.charAt(i);
                upperInside |= i > start && Character.isUpperCase(c);
                lower |= Character.isLowerCase(c);
                i++;
            }
            if (i - start >= BinaryCodecs.MIN_BASE64_RUN && upperInside && lower) {
                out = out == null ? new StringBuilder() : out.append(' ');
                out.append(BinaryCodecs.base64Decode(s.substring(start, i), true));
            }
        }
        return out == null ? "" : out.toString();
    }

    private static String random(SplittableRandom rnd) {
        int n = rnd.nextInt(12);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return sb.toString();
    }
}

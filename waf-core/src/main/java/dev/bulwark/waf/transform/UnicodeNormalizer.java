package dev.bulwark.waf.transform;

import java.text.Normalizer;
import java.util.BitSet;

/**
 * {@code unicodeNormalize}: Unicode NFKC, the compatibility folding applications apply before
 * they compare or store text (Python's {@code unicodedata.normalize}, Java's {@code Normalizer},
 * database collations, "best fit" code-page conversion), so that full-width
 * {@code ＇ＯＲ １＝１--}, {@code ＜script＞} or {@code ．．／} reach the signatures as the ASCII
 * the application ends up with.
 *
 * <p>Cost: ASCII text is NFKC already, and a value without a non-ASCII char is returned as is
 * after one scan (the engine skips the step for such values without even that scan); text that
 * is already normalised (most CJK, Cyrillic, Arabic prose) costs one more scan.
 *
 * <p>Bound: a few compatibility characters expand a lot (U+FDFA becomes 18 chars). Those whose
 * decomposition (before composition) is longer than {@link #MAX_EXPANSION} chars are kept as
 * they are, so the result is never more than that many times longer than the input.
 */
final class UnicodeNormalizer {

    static final int MAX_EXPANSION = 4;

    private UnicodeNormalizer() {
    }

    static String normalize(String s) {
        int n = s.length();
        int first = 0;
        while (first < n && s.charAt(first) < 0x80) {
            first++;
        }
        if (first == n || Normalizer.isNormalized(s, Normalizer.Form.NFKC)) {
            return s;
        }
        StringBuilder out = new StringBuilder(n + 16);
        // The segment boundary is one char before the first non-ASCII char: a combining mark
        // composes with the letter before it.
        int start = Math.max(0, first - 1);
        out.append(s, 0, start);
        int segment = start;
        for (int i = first; i < n; ) {
            int cp = s.codePointAt(i);
            int len = Character.charCount(cp);
            if (LongExpansions.contains(cp)) {
                appendNormalized(out, s, segment, i);
                out.append(s, i, i + len);
                segment = i + len;
            }
            i += len;
        }
        appendNormalized(out, s, segment, n);
        return out.length() == n && out.toString().equals(s) ? s : out.toString();
    }

    private static void appendNormalized(StringBuilder out, String s, int from, int to) {
        if (from < to) {
            out.append(Normalizer.normalize(s.substring(from, to), Normalizer.Form.NFKC));
        }
    }

    /**
     * The code points whose compatibility decomposition is longer than {@link #MAX_EXPANSION}
     * chars (a few dozen Arabic ligatures and squared CJK words), worked out from the JDK's own
     * Unicode tables on first use. Beyond U+1FFFF every decomposition is a single code point.
     */
    private static final class LongExpansions {
        private static final int LIMIT = 0x20000;
        private static final BitSet SET = compute();

        static boolean contains(int cp) {
            return cp < LIMIT && SET.get(cp);
        }

        private static BitSet compute() {
            BitSet set = new BitSet(LIMIT);
            for (int cp = 0xA0; cp < LIMIT; cp++) {
                if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                    continue;
                }
                String c = new String(Character.toChars(cp));
                if (!Normalizer.isNormalized(c, Normalizer.Form.NFKD)
                        && Normalizer.normalize(c, Normalizer.Form.NFKD).length() > MAX_EXPANSION) {
                    set.set(cp);
                }
            }
            return set;
        }
    }
}

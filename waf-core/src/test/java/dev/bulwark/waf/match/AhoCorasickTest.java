package dev.bulwark.waf.match;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AhoCorasickTest {

    private static BitSet found(AhoCorasick ac, String text) {
        BitSet b = new BitSet();
        ac.matches(text, b);
        return b;
    }

    private static BitSet bits(int... ids) {
        BitSet b = new BitSet();
        for (int i : ids) {
            b.set(i);
        }
        return b;
    }

    @Test
    void classicExample() {
        AhoCorasick ac = AhoCorasick.of(List.of("he", "she", "his", "hers"), false);
        assertEquals(bits(0, 1, 3), found(ac, "ushers"));
        assertTrue(ac.containsAny("ushers"));
        assertFalse(ac.containsAny("usurp"));
        AhoCorasick.Match m = ac.firstMatch("ushers");
        assertEquals(1, m.id()); // "she" and "he" end together; the longer wins
        assertEquals(1, m.start());
        assertEquals(4, m.end());
        assertNull(ac.firstMatch("nothing but h"));
    }

    @Test
    void caseSensitiveDoesNotFold() {
        AhoCorasick ac = AhoCorasick.of(List.of("Select"), false);
        assertFalse(ac.containsAny("select"));
        assertTrue(ac.containsAny("xSelect"));
    }

    @Test
    void caseInsensitiveFoldsUnicodeOrbits() {
        AhoCorasick ac = AhoCorasick.of(List.of("SK", "straße", "Σίσυφος"), true);
        assertTrue(ac.containsAny("xx\u017f\u212axx"), "long s and Kelvin sign fold to s and k");
        assertTrue(ac.containsAny("STRASSE STRAẞE"));
        assertTrue(ac.containsAny("ΣΊΣΥΦΟΣ"));
        assertTrue(ac.containsAny("σίσυφος"));
        assertTrue(ac.containsAny("ςίσυφος"), "final sigma folds with sigma");
        AhoCorasick.Match m = ac.firstMatch("ab\u017f\u212a");
        assertEquals(0, m.id());
        assertEquals(2, m.start());
        assertEquals(4, m.end());
    }

    @Test
    void overlappingPatternsAreAllReportedAndScanStaysLinear() {
        AhoCorasick ac = AhoCorasick.of(List.of("a", "aa", "aaa", "aaaa", "b"), true);
        String text = "A".repeat(2_000_000);
        long t0 = System.nanoTime();
        assertEquals(bits(0, 1, 2, 3), found(ac, text));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "scan of 2M chars should be fast");
    }

    @Test
    void emptyPatternMatchesEverywhereAndNoPatternsNowhere() {
        AhoCorasick empty = AhoCorasick.of(List.of("x", ""), false);
        assertTrue(empty.containsAny(""));
        assertEquals(bits(1), found(empty, ""));
        assertEquals(1, empty.firstMatch("abc").id());
        AhoCorasick none = AhoCorasick.of(List.of(), true);
        assertFalse(none.containsAny("anything"));
        assertEquals(new BitSet(), found(none, "anything"));
        assertNull(none.firstMatch("anything"));
    }

    @Test
    void duplicatesKeepTheirIds() {
        AhoCorasick ac = AhoCorasick.of(List.of("abc", "ABC", "abc"), true);
        assertEquals(bits(0, 1, 2), found(ac, "xxabcxx"));
        assertEquals(0, ac.firstMatch("abc").id());
    }

    @Test
    void surrogatesAndMalformedTextDoNotThrow() {
        String emoji = "\uD83D\uDE00"; // U+1F600
        String deseretUpper = new String(Character.toChars(0x10400));
        String deseretLower = new String(Character.toChars(0x10428));
        AhoCorasick ac = AhoCorasick.of(List.of(emoji + "x", deseretUpper), true);
        assertTrue(ac.containsAny("a" + emoji + "X"));
        assertTrue(ac.containsAny(deseretLower), "supplementary letters fold too");
        assertFalse(ac.containsAny("\uD83D\uD83Dx\uDE00"));
        AhoCorasick.Match m = ac.firstMatch("zz" + deseretLower);
        assertNotNull(m);
        assertEquals(2, m.start());
        assertEquals(4, m.end());
        AhoCorasick lone = AhoCorasick.of(List.of("\uDE00"), true);
        assertTrue(lone.containsAny("a\uDE00b"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void agreesWithNaiveSearchOnRandomInput(boolean caseInsensitive) {
        Random r = new Random(42);
        for (int round = 0; round < 300; round++) {
            List<String> patterns = new ArrayList<>();
            int n = 1 + r.nextInt(12);
            for (int i = 0; i < n; i++) {
                patterns.add(random(r, 1 + r.nextInt(4)));
            }
            AhoCorasick ac = AhoCorasick.of(patterns, caseInsensitive);
            for (int t = 0; t < 20; t++) {
                String text = random(r, r.nextInt(30));
                checkAgainstNaive(ac, patterns, text, caseInsensitive);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void longTextsScannedAsInterleavedStreamsMissNothing(boolean caseInsensitive) {
        // Long ASCII texts are scanned as two streams that overlap by the longest pattern's
        // length: occurrences at, before and across the split must all be found, and one
        // non-ASCII char anywhere must fall back to the general loop without losing any.
        Random r = new Random(11);
        AhoCorasick.Scanner reused = null;
        for (int round = 0; round < 60; round++) {
            List<String> patterns = new ArrayList<>();
            for (int i = 0; i < 1 + r.nextInt(30); i++) {
                patterns.add(randomAscii(r, 1 + r.nextInt(round % 3 == 0 ? 40 : 6)));
            }
            AhoCorasick ac = AhoCorasick.of(patterns, caseInsensitive);
            reused = ac.scanner();
            for (int t = 0; t < 15; t++) {
                StringBuilder sb = new StringBuilder(randomAscii(r, 256 + r.nextInt(4000)));
                for (int k = 0; k < 3; k++) { // plant patterns, mostly near the middle
                    String p = patterns.get(r.nextInt(patterns.size()));
                    int at = Math.max(0, Math.min(sb.length() - p.length(), sb.length() / 2 - r.nextInt(45)));
                    sb.replace(at, at + p.length(), p);
                }
                if (t % 5 == 4) {
                    sb.setCharAt(r.nextInt(sb.length()), '\u00e9');
                }
                String text = sb.toString();
                checkAgainstNaive(ac, patterns, text, caseInsensitive);
                BitSet again = new BitSet();
                reused.matches(text, again);
                assertEquals(found(ac, text), again, "a reused scanner agrees");
            }
        }
    }

    @Test
    void largePatternSetsUseTheSparseTablesCorrectly() {
        Random r = new Random(7);
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 8; k++) {
                sb.append((char) ('!' + r.nextInt(90)));
            }
            patterns.add(sb.toString());
        }
        AhoCorasick ac = AhoCorasick.of(patterns, false); // ~200k states x 91 classes: over budget
        for (int t = 0; t < 50; t++) {
            String text = patterns.get(r.nextInt(patterns.size())) + patterns.get(r.nextInt(patterns.size()));
            BitSet f = found(ac, text);
            for (int i = 0; i < patterns.size(); i++) {
                assertEquals(text.contains(patterns.get(i)), f.get(i), "pattern " + i + " in " + text);
            }
            assertTrue(ac.containsAny(text));
        }
    }

    private static void checkAgainstNaive(AhoCorasick ac, List<String> patterns, String text, boolean ci) {
        String hay = ci ? AhoCorasick.foldString(text) : text;
        BitSet expected = new BitSet();
        int bestEnd = Integer.MAX_VALUE;
        int bestLen = -1;
        int bestId = -1;
        for (int i = 0; i < patterns.size(); i++) {
            String p = ci ? AhoCorasick.foldString(patterns.get(i)) : patterns.get(i);
            int at = hay.indexOf(p);
            if (at >= 0) {
                expected.set(i);
                int end = at + p.length();
                if (end < bestEnd || (end == bestEnd && p.length() > bestLen)) {
                    bestEnd = end;
                    bestLen = p.length();
                    bestId = i;
                }
            }
        }
        assertEquals(expected, found(ac, text), () -> patterns + " in " + text);
        assertEquals(!expected.isEmpty(), ac.containsAny(text));
        AhoCorasick.Match m = ac.firstMatch(text);
        if (expected.isEmpty()) {
            assertNull(m);
        } else {
            assertEquals(bestEnd, m.end(), () -> patterns + " in " + text);
            String found = ci ? AhoCorasick.foldString(text.substring(m.start(), m.end())) : text.substring(m.start(), m.end());
            assertEquals(ci ? AhoCorasick.foldString(patterns.get(m.id())) : patterns.get(m.id()), found);
            assertEquals(bestLen, found.length());
        }
    }

    private static String random(Random r, int len) {
        return random(r, len, "abAB\u017fsS\u212ak"); // case orbits, also outside ASCII
    }

    private static String randomAscii(Random r, int len) {
        return random(r, len, "abcAB<>( '=\"/");
    }

    private static String random(Random r, int len, String alphabet) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}

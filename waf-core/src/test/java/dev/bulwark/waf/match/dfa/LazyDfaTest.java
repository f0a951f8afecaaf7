package dev.bulwark.waf.match.dfa;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LazyDfaTest {

    private static final int FLAGS = Pattern.DOTALL | Pattern.MULTILINE;

    /** The DFA must give exactly RE2J's answer (no give-up happens on such small cases). */
    private static void agree(String regex, String... inputs) {
        LazyDfa dfa = LazyDfa.compile(regex);
        assertNotNull(dfa, "unsupported: " + regex);
        Pattern p = Pattern.compile(regex, FLAGS);
        for (String in : inputs) {
            com.google.re2j.Matcher m = p.matcher(in);
            int start = m.find() ? m.start() : -1;
            assertEquals(start, dfa.matchStart(in), () -> "/" + regex + "/ leftmost start on \"" + in + "\"");
            assertEquals(start >= 0 ? LazyDfa.Answer.YES : LazyDfa.Answer.NO, dfa.test(in),
                    () -> "/" + regex + "/ on \"" + in + "\"");
            assertEquals(p.matcher(in).find(), dfa.mayMatch(in), () -> "/" + regex + "/ on \"" + in + "\"");
            // Second call: the answer must not depend on the warm cache.
            assertEquals(p.matcher(in).find(), dfa.mayMatch(in), () -> "/" + regex + "/ warm on \"" + in + "\"");
        }
    }

    private static boolean may(String regex, String in) {
        LazyDfa dfa = LazyDfa.compile(regex);
        assertNotNull(dfa, "unsupported: " + regex);
        return dfa.mayMatch(in);
    }

    @Test
    void literalsAndEscapes() {
        agree("abc", "", "ab", "xabcx", "ABC", "aabbcc");
        agree("\\x41\\x{42}\\x{1F600}", "AB\uD83D\uDE00", "AB", "ab\uD83D\uDE00");
        agree("\\n\\r\\t\\f\\v\\a", "\n\r\t\f\u000B\u0007", "\n\r\t\f\u000B");
        agree("\\101\\0", "A\0", "A0", "A");
        agree("\\.\\*\\_\\-\\ ", ".*_- ", ".*_-");
        agree("a\\Q.*(\\Eb", "a.*(b", "axxb");
        agree("a\\Qbc\\E+", "abcc", "abcbc", "ab");
        agree("a\\Q+", "a+", "aa");
    }

    @Test
    void dot() {
        agree(".", "", "\n", "a", "\uD83D\uDE00");
        agree("(?-s)a.b", "a\nb", "axb");
        agree("(?-s:a.)b|c", "a\nb", "c", "axb");
        agree("^.$", "\uD83D\uDE00", "\uD800", "ab", "\uDC00");
        agree("^..$", "\uD83D\uDE00", "\uD800\uD800", "\uDE00\uD83D");
    }

    @Test
    void classes() {
        agree("[a-c]x", "bx", "dx", "x");
        agree("[^a-c]x", "bx", "dx", "\nx", "x");
        agree("[]a]", "]", "a", "b");
        agree("[^]a]", "]", "a", "b");
        agree("[a-]", "-", "a", "b");
        agree("[\\d\\s]", "5", " ", "\u000B", "x");
        agree("[^\\W]", "_", "-", "\u00e9");
        agree("\\D\\S\\W", "a-.", "1 ", "a-a");
        agree("[[:alpha:]][[:^digit:]]", "a1", "ab", "1b");
        agree("[[:punct:][:space:]]", "!", "\u000B", "a");
        agree("[[:word:]]+=", "a_b=", "=");
        agree("[\\x{100}-\\x{10FFFF}]", "\u0100", "\u00ff", "\uD83D\uDE00");
        agree("[^\\x00-\\x{10FFFF}]", "abc", "");
        agree("[\\[\\]]", "[", "]", "x");
        agree("[a\\-z]", "-", "b");
        agree("[[:a]", "[", ":", "b");
    }

    @Test
    void multilineAnchors() {
        agree("^abc$", "abc", "x\nabc\ny", "abc\r\n", "xabc", "abc\n", "abcx");
        agree("^$", "", "\n", "a\n", "a", "a\n\nb");
        agree("\\Aabc\\z", "abc", "abc\n", "\nabc");
        agree("(?-m)^a$", "a", "b\na", "a\nb", "a\n");
        agree("a$^b", "ab", "a\nb");
        agree("$\\n^", "\n", "a\nb");
        agree("x^", "x", "x\n");
        agree("$x", "x", "\nx");
        agree("(?m:^)a|b\\z", "ba", "a", "b\n", "xb");
        agree("^\\s*$", "   ", " a ", "a\n  \n");
    }

    @Test
    void wordBoundaries() {
        agree("\\bab\\b", "ab", "a ab.", "cab", "ab_", "\u00e9ab\u00e9");
        agree("\\Bb\\B", "abc", "b", "ab", " b ");
        agree("\\b", "", " ", "a", "\u00e9");
        agree("\\B", "", "a", " ", "ab");
        agree("a\\b", "a", "ab", "a!");
        agree("(?:\\b|x)y", "y", "xy", "ay");
        agree("\\b\\B", "a", "");
    }

    @Test
    void caseFolding() {
        agree("(?i)select", "SeLeCt", "sElec", "\u017Felect");
        agree("(?i)k", "\u212A", "K", "x");
        agree("(?i)[^k]", "\u212A", "K", "k");
        agree("(?i)[a-z]", "\u212A", "\u017F", "1");
        agree("(?i)i", "\u0130", "\u0131", "I");
        agree("(?i)\u00e9", "\u00c9", "e");
        agree("(?i)\u00b5", "\u039C", "\u03BC", "u");
        agree("(?i)\u00ff", "\u0178", "y");
        agree("(?i)\u00df", "\u1E9E", "ss");
        agree("(?i)\u00e5", "\u212B", "\u00c5");
        agree("(?i)\\w", "\u212A", "-");
        agree("(?i)\\W", "\u212A", "\u017F", "-");
        agree("(?i)[[:upper:]]", "a", "1");
        agree("(?i:a)b", "Ab", "AB", "ab");
        agree("a(?i)b|c", "aB", "C", "Ab");
        agree("(?i)\\x{10400}", "\uD801\uDC28", "x");
        agree("(?i)[^\\x{10400}]", "\uD801\uDC28");
    }

    @Test
    void repetition() {
        agree("a{3}", "aa", "aaa", "baaab");
        agree("^a{2,4}b", "ab", "aab", "aaaab", "aaaaab");
        agree("(?:ab){2,}c", "abc", "ababc", "abababc");
        agree("a{,3}", "a{,3}", "aaa");
        agree("a{01}", "a{01}", "a");
        agree("(?:x{2}){3}", "xxxxxx", "xxxxx");
        agree("a*?b+?c??", "bc", "c", "abbc");
        agree("^(?:a|bc)*$", "abcbca", "abca", "");
        agree("^[^;]{1,255};", "x;", ";", "a".repeat(255) + ";", "a".repeat(256) + ";");
        agree("(?:x|^){3}y", "y", "xxy", "xxxy");
        agree("(?:\\b)*a", "a");
        assertNotNull(LazyDfa.compile("[a-z]{1000}"));
        assertNull(LazyDfa.compile("(?:[a-z]{1000}x){60}"), "more than 50,000 instructions");
    }

    @Test
    void emptyAndAlternation() {
        agree("", "", "abc");
        agree("a|", "", "b");
        agree("(?:)", "");
        agree("x(?:a|)y", "xy", "xay", "xby");
        agree("x(?:|a)y", "xy", "xay");
        agree("a*", "", "b");
        agree("(a)|b(?P<n>c)|(?:d)", "a", "bc", "d", "b", "e");
        agree("cat|more|less", "concatenate", "mor", "lesser");
        agree("(?:a|b)(?:c|d)", "ad", "bc", "ab");
    }

    @Test
    void surrogates() {
        agree("\\x{1F600}", "\uD83D\uDE00", "\uD83D", "\uDE00");
        agree("[\\x{1F600}-\\x{1F64F}]", "x\uD83D\uDE01", "\uD83D\uDFFF");
        agree("\\x{D83D}", "\uD83D\uDE00", "\uD83D", "\uD83Dx");
        agree("a.b", "a\uD83D\uDE00b", "a\uD83Db", "a\uD83D\uDE00\uD83D\uDE00b");
        agree("[^a]b", "\uD83D\uDE00b", "ab");
    }

    @Test
    void unsupportedAndInvalidPatternsGiveNull() {
        for (String re : new String[] {"\\pL", "\\p{Greek}", "[\\PL]", "\\C", "(", ")", "[a", "a**{",
                "\\1", "a**", "a{2}{3}", "(?P=n)", "(?<=a)b", "(?#c)", "\\Z", "a{2,1}", "x{1001}", "*a", "\\x{110000}", "\\8"}) {
            LazyDfa d = LazyDfa.compile(re);
            if (d != null) {
                // Only acceptable where RE2J accepts it too, with the same meaning (checked above).
                assertTrue(re.equals("a**{"), "compiled: " + re);
            }
        }
    }

    @Test
    void matchStartIsTheLeftmostStart() {
        agree("abcd|c", "xxabcd", "xxabc");
        agree("x*a", "yxxxa", "a");
        agree("(?i)\\b(?:cat|at)\\b", "the cat sat", "a CAT", "scat at");
        agree("^\\s*$|b$", "a\n  \nb", "ab");
        assertEquals(0, LazyDfa.compile("a*").matchStart("bbb"));
        assertEquals(-1, LazyDfa.compile("q").matchStart("bbb"));
    }

    /** An exponential DFA (2^13 states) overflows the cache: the call answers "maybe", quickly. */
    @Test
    void givesUpWhenStatesExplode() {
        LazyDfa dfa = LazyDfa.compile("a[ab]{12}c");
        Random r = new Random(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            sb.append(r.nextBoolean() ? 'a' : 'b');
        }
        String in = sb.toString();
        assertFalse(Pattern.compile("a[ab]{12}c", FLAGS).matcher(in).find());
        long t0 = System.nanoTime();
        assertEquals(LazyDfa.Answer.MAYBE, dfa.test(in), "gave up");
        assertTrue(dfa.mayMatch(in));
        assertEquals(0, dfa.matchStart(in), "gave up: RE2J searches from the start");
        assertTrue(dfa.cache().resets >= 1);
        assertTrue(dfa.cache().states() <= dfa.maxStates());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        // A short input still gets an exact answer after the overflow.
        assertFalse(dfa.mayMatch("abababab"));
        assertTrue(dfa.mayMatch("xaababababababcx"));
    }

    @Test
    void sharedAcrossThreads() throws Exception {
        String regex = "(?i)\\b(?:union\\s+select|sleep\\s*\\(|<script)|^\\s*;\\s*\\w+$";
        LazyDfa dfa = LazyDfa.compile(regex);
        Pattern p = Pattern.compile(regex, FLAGS);
        String[] inputs = {"1 UNION  select x", "hello world", "x<ScRiPt>", ";  ls\n", "sleepy (", "Sleep(1)", ""};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                fs.add(pool.submit(() -> {
                    int wrong = 0;
                    for (int i = 0; i < 2000; i++) {
                        String in = inputs[i % inputs.length] + (i % 3 == 0 ? "" : " tail " + i);
                        wrong += dfa.mayMatch(in) == p.matcher(in).find() ? 0 : 1;
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> f : fs) {
                assertEquals(0, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Order of magnitude check: once warm, a scan costs a few ns per character. */
    @Test
    void warmScanIsFast() {
        LazyDfa dfa = LazyDfa.compile("(?i)c[\\\\'\"]*a[\\\\'\"]*t[\\\\'\"]*\\s+/e[\\\\'\"]*t[\\\\'\"]*c");
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 64 * 1024) {
            sb.append("the cat sat on the mat and looked at the etc. ");
        }
        String in = sb.toString();
        for (int i = 0; i < 20; i++) {
            assertFalse(dfa.mayMatch(in));
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            dfa.mayMatch(in);
            best = Math.min(best, System.nanoTime() - t0);
        }
        double nsPerChar = (double) best / in.length();
        System.out.printf("LazyDfa warm scan: %.2f ns/char%n", nsPerChar);
        assertTrue(nsPerChar < 100, "too slow: " + nsPerChar + " ns/char");
    }
}

package dev.bulwark.waf.match.dfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.bulwark.waf.testing.CrsCorpus;
import dev.bulwark.waf.testing.FuzzInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

/**
 * Differential fuzzing of the regex front end ({@link Parser}) and the lazy DFA against RE2J:
 * for a pattern the DFA supports, its yes/no answer equals RE2J's {@code find()} (flags DOTALL
 * and MULTILINE, as the engine uses them) and {@link LazyDfa#matchStart} equals RE2J's match
 * start (on long inputs: is no later than it, as its contract allows); on inputs too short to
 * overflow its state cache it never answers "maybe"; and {@link LazyDfa#compile} never throws. Three sources of patterns: the grammar of
 * {@link LazyDfaFuzzTest} driven by the fuzzer's bytes, the fuzzer's raw text, and the CRS and
 * bundled {@code @rx} patterns. Seeds: {@code LazyDfaDifferentialFuzzTestInputs/}.
 */
class LazyDfaDifferentialFuzzTest {

    private static final int FLAGS = Pattern.DOTALL | Pattern.MULTILINE;
    /** Below this many chars one search cannot clear the state cache twice, so never gives up. */
    private static final int SHORT_INPUT = 48;

    private static List<String> corpus;
    private static LazyDfa[] corpusDfas;
    private static Pattern[] corpusRe2j;

    /** Pattern and input from the grammar, choices taken from the fuzzer's bytes. */
    @FuzzTest(maxDuration = "20s")
    void grammarPatterns(byte[] data) {
        Random r = FuzzInputs.random(data, 0);
        String regex = (r.nextInt(4) == 0 ? "(?i)" : "") + LazyDfaFuzzTest.alternation(r, 0);
        Pattern p;
        try {
            p = Pattern.compile(regex, FLAGS);
        } catch (PatternSyntaxException e) {
            return;
        }
        LazyDfa dfa = LazyDfa.compile(regex);
        for (int k = 0; k < 4; k++) {
            compare(regex, p, dfa, LazyDfaFuzzTest.input(r));
        }
    }

    /** First line: the pattern as the fuzzer wrote it; the rest: the input. */
    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"(?i)", "(?:", "(?-s:", "(?P<n>", "[^", "[[:alpha:]]", "\\b", "\\B", "\\A", "\\z", "\\pL",
        "\\p{Greek}", "\\x{212A}", "\\Q", "\\E", "{2,}", "*?", "+?", "[a-z]", "\\w", "\\d", "\\s", "^", "$", "|"})
    void rawPatterns(byte[] data) {
        int eol = FuzzInputs.lineEnd(data);
        String regex = FuzzInputs.text(data, 0, eol);
        LazyDfa dfa = LazyDfa.compile(regex); // must not throw, whatever the text
        if (dfa == null || tooBigForRe2j(regex)) {
            return;
        }
        Pattern p;
        try {
            p = Pattern.compile(regex, FLAGS);
        } catch (PatternSyntaxException e) {
            return; // the DFA may accept what RE2J refuses: the engine compiles with RE2J first
        }
        compare(regex, p, dfa, FuzzInputs.text(data, Math.min(eol + 1, data.length), data.length));
    }

    /** First line: an index into the CRS and bundled {@code @rx} patterns; the rest: the input. */
    @FuzzTest(maxDuration = "20s")
    void corpusPatterns(byte[] data) {
        List<String> patterns = corpus();
        if (patterns.isEmpty()) {
            return;
        }
        int eol = FuzzInputs.lineEnd(data);
        int index = 0;
        for (int i = 0; i < eol; i++) {
            int c = data[i] & 0xFF;
            index = (index * 10 + (c >= '0' && c <= '9' ? c - '0' : c)) % patterns.size();
        }
        String input = FuzzInputs.text(data, Math.min(eol + 1, data.length), data.length);
        if (corpusRe2j[index] == null) {
            corpusRe2j[index] = Pattern.compile(patterns.get(index), FLAGS);
            corpusDfas[index] = LazyDfa.compile(patterns.get(index));
        }
        compare(patterns.get(index), corpusRe2j[index], corpusDfas[index], input);
    }

    private static void compare(String regex, Pattern p, LazyDfa dfa, String input) {
        if (dfa == null) {
            return; // unsupported: the engine uses RE2J alone
        }
        Matcher m = p.matcher(input);
        boolean expected = m.find();
        LazyDfa.Answer a = dfa.test(input);
        String what = "/" + LazyDfaFuzzTest.escape(regex) + "/ on \"" + LazyDfaFuzzTest.escape(input) + "\"";
        if (input.length() < SHORT_INPUT) {
            assertNotEquals(LazyDfa.Answer.MAYBE, a, what);
        }
        if (a != LazyDfa.Answer.MAYBE) {
            assertEquals(expected, a == LazyDfa.Answer.YES, what);
            int start = dfa.matchStart(input);
            if (!expected || input.length() < SHORT_INPUT) {
                assertEquals(expected ? m.start() : -1, start, () -> "match start of " + what);
            } else {
                // The reverse scan may give up on long inputs: any start no later than RE2J's
                // is then allowed (the contract), 0 included.
                assertTrue(start >= 0 && start <= m.start(), () -> "match start " + start + " of " + what);
            }
        }
    }

    /** RE2J expands counted repeats; nested large counts would only measure its compiler. */
    private static boolean tooBigForRe2j(String regex) {
        int braces = 0;
        int digits = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            braces += c == '{' ? 1 : 0;
            digits = c >= '0' && c <= '9' ? digits + 1 : 0;
            if (digits > 2) {
                return true;
            }
        }
        return braces > 3 || regex.length() > 256;
    }

    /** CRS patterns (when {@code crs.dir} is there) and the bundled ones, RE2J-valid only. */
    private static synchronized List<String> corpus() {
        if (corpus == null) {
            LinkedHashSet<String> all = new LinkedHashSet<>();
            try {
                Path crs = CrsCorpus.dir();
                if (crs != null) {
                    all.addAll(CrsCorpus.rxPatterns(crs));
                }
                all.addAll(RuleCorpus.bundledPatterns());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> valid = new ArrayList<>();
            for (String s : all) {
                try {
                    Pattern.compile(s, FLAGS);
                    valid.add(s);
                } catch (PatternSyntaxException e) {
                    // the engine refuses it too
                }
            }
            corpus = valid;
            corpusDfas = new LazyDfa[valid.size()];
            corpusRe2j = new Pattern[valid.size()];
        }
        return corpus;
    }
}

package dev.bulwark.waf.match.prefilter;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.bulwark.waf.testing.CrsCorpus;
import dev.bulwark.waf.testing.FuzzInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Soundness of the literal prefilter under fuzzing: whenever RE2J finds a match, the prefilter
 * says the pattern may match and the input holds one character of each required set (see
 * {@link LiteralPrefilterPropertyTest}). Patterns come from the {@link RegexSampler} grammar
 * driven by the fuzzer's bytes (inputs sampled from the pattern, so many match), from the
 * fuzzer's raw text, and from the CRS {@code @rx} patterns. Seeds:
 * {@code LiteralPrefilterFuzzTestInputs/}.
 */
class LiteralPrefilterFuzzTest {

    private static final int FLAGS = Pattern.DOTALL | Pattern.MULTILINE;

    private static List<String> crs;
    private static List<Pattern> crsRe2j;
    private static LiteralPrefilter crsFilter;

    /** Up to three grammar patterns in one prefilter, five sampled inputs each. */
    @FuzzTest(maxDuration = "20s")
    void grammarPatterns(byte[] data) {
        Random r = FuzzInputs.random(data, 0);
        RegexSampler gen = new RegexSampler(r);
        LiteralPrefilter.Builder b = LiteralPrefilter.builder().minAtomLength(1 + r.nextInt(3))
                .ignoreCommonCharacters(r.nextInt(4) == 0);
        List<RegexSampler.Gen> gens = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        List<Boolean> ci = new ArrayList<>();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            boolean c = r.nextInt(3) == 0;
            RegexSampler.Gen g = gen.node(4);
            String text = (c ? "(?i)" : "") + g.regex();
            try {
                patterns.add(Pattern.compile(text, FLAGS));
            } catch (PatternSyntaxException e) {
                continue;
            }
            b.add(text);
            gens.add(g);
            ci.add(c);
        }
        LiteralPrefilter pf = b.build();
        for (int i = 0; i < gens.size(); i++) {
            for (int k = 0; k < 5; k++) {
                StringBuilder in = new StringBuilder();
                gen.noise(in);
                gens.get(i).sample(in, ci.get(i));
                gen.noise(in);
                check(pf, i, patterns.get(i), in.toString());
            }
        }
    }

    /** First line: the pattern as the fuzzer wrote it; the rest: the input. */
    @FuzzTest(maxDuration = "20s")
    @DictionaryEntries({"(?i)", "(?:", "(?s:", "(?P<n>", "[^", "[[:digit:]]", "\\b", "\\x{212A}", "\u017f", "\\Q",
        "\\E", "{2,}", "*?", "[a-c]", "\\w", "\\d", "\\s", "\\pL", "^", "$", "|"})
    void rawPatterns(byte[] data) {
        int eol = FuzzInputs.lineEnd(data);
        String regex = FuzzInputs.text(data, 0, eol);
        if (regex.length() > 256) {
            return;
        }
        Pattern p;
        try {
            p = Pattern.compile(regex, FLAGS);
        } catch (PatternSyntaxException e) {
            return; // the engine refuses such a rule before any prefilter sees it
        }
        String input = FuzzInputs.text(data, Math.min(eol + 1, data.length), data.length);
        for (int minLen = 1; minLen <= 3; minLen += 2) {
            for (boolean common : new boolean[] {false, true}) {
                LiteralPrefilter.Builder b = LiteralPrefilter.builder().minAtomLength(minLen).ignoreCommonCharacters(common);
                b.add(regex);
                check(b.build(), 0, p, input);
            }
        }
    }

    /** First line: an index into the CRS {@code @rx} patterns (one prefilter for all); the rest: the input. */
    @FuzzTest(maxDuration = "20s")
    void crsPatterns(byte[] data) {
        if (!loadCrs()) {
            return;
        }
        int eol = FuzzInputs.lineEnd(data);
        int index = 0;
        for (int i = 0; i < eol; i++) {
            int c = data[i] & 0xFF;
            index = (index * 10 + (c >= '0' && c <= '9' ? c - '0' : c)) % crs.size();
        }
        check(crsFilter, index, crsRe2j.get(index), FuzzInputs.text(data, Math.min(eol + 1, data.length), data.length));
    }

    private static void check(LiteralPrefilter pf, int id, Pattern p, String input) {
        if (!p.matcher(input).find()) {
            return;
        }
        assertTrue(pf.mayMatch(id, pf.scan(input)), () -> p.pattern() + " requires " + pf.describe(id) + " but matches '" + input + "'");
        assertNull(LiteralPrefilterPropertyTest.missingRequiredSet(pf, id, input), () -> p.pattern() + " matches '" + input + "'");
    }

    private static synchronized boolean loadCrs() {
        if (crs == null) {
            crs = new ArrayList<>();
            crsRe2j = new ArrayList<>();
            Path dir = CrsCorpus.dir();
            LiteralPrefilter.Builder b = LiteralPrefilter.builder();
            try {
                for (String s : dir == null ? List.<String>of() : CrsCorpus.rxPatterns(dir)) {
                    try {
                        crsRe2j.add(Pattern.compile(s, FLAGS));
                    } catch (PatternSyntaxException e) {
                        continue;
                    }
                    crs.add(s);
                    b.add(s);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            crsFilter = b.build();
        }
        return !crs.isEmpty();
    }
}

package dev.bulwark.waf.match.dfa;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random patterns over the supported syntax against RE2J on random short strings that mix the
 * characters the features care about (word/non-word, newlines, case variants including the
 * Kelvin sign and long s, non-ASCII, surrogate pairs and lone surrogates). On inputs this short
 * the DFA never gives up, so its answer must equal RE2J's exactly, and so must the start of the
 * leftmost match that {@link LazyDfa#matchStart} computes.
 */
class LazyDfaFuzzTest {

    private static final String[] ATOMS = {
        "a", "b", "k", "K", "S", "\u00e9", "\\x{1F600}", "\\n", " ", "-", "_", "1",
        "[ab]", "[^a]", "[a-k]", "[^\\n]", "\\w", "\\W", "\\s", "\\S", "\\d", "\\D", ".", "[[:alpha:]]",
        "[[:^space:]]", "[\\x{80}-\\x{1000}]", "[^\\x{1F600}-\\x{1F64F}]", "\\x41", "\\Qa.\\E",
        "^", "$", "\\b", "\\B", "\\A", "\\z",
    };
    private static final String[] INPUT_CHARS = {
        "a", "b", "k", "K", "\u212A", "s", "S", "\u017F", "\u00e9", "\u00c9", "\uD83D\uDE00", "\uD800",
        "\n", " ", "-", "_", "1", "A", "\r",
    };

    @Test
    void randomPatternsAgreeWithRe2j() {
        // -Dbulwark.dfa.fuzzSeed / -Dbulwark.dfa.fuzzPatterns run other or longer campaigns.
        Random r = new Random(Long.getLong("bulwark.dfa.fuzzSeed", 20240601L));
        int count = Integer.getInteger("bulwark.dfa.fuzzPatterns", 3000);
        int patterns = 0;
        int checks = 0;
        List<String> unsupported = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        long deadline = System.nanoTime() + (count > 3000 ? 600_000_000_000L : 4_000_000_000L);
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            String regex = (r.nextInt(4) == 0 ? "(?i)" : "") + alternation(r, 0);
            Pattern p;
            try {
                p = Pattern.compile(regex, Pattern.DOTALL | Pattern.MULTILINE);
            } catch (PatternSyntaxException e) {
                continue;
            }
            LazyDfa dfa = LazyDfa.compile(regex);
            if (dfa == null) {
                unsupported.add(regex);
                continue;
            }
            patterns++;
            for (int j = 0; j < 40; j++) {
                String in = input(r);
                checks++;
                com.google.re2j.Matcher m = p.matcher(in);
                boolean expected = m.find();
                if (dfa.mayMatch(in) != expected && wrong.size() < 10) {
                    wrong.add("/" + regex + "/ on \"" + escape(in) + "\": re2j " + expected);
                }
                // The leftmost match start, from the reversed pattern scanned backwards.
                int start = expected ? m.start() : -1;
                int dfaStart = dfa.matchStart(in);
                if (dfaStart != start && wrong.size() < 10) {
                    wrong.add("/" + regex + "/ on \"" + escape(in) + "\": re2j start " + start + ", dfa " + dfaStart);
                }
            }
        }
        System.out.printf("LazyDfa fuzz: %d patterns, %d checks%n", patterns, checks);
        assertTrue(patterns > 500, "too few patterns: " + patterns);
        assertEquals(List.of(), unsupported.subList(0, Math.min(5, unsupported.size())));
        assertEquals(List.of(), wrong);
    }

    static String alternation(Random r, int depth) {
        StringBuilder sb = new StringBuilder(concat(r, depth));
        while (r.nextInt(4) == 0) {
            sb.append('|').append(r.nextInt(6) == 0 ? "" : concat(r, depth));
        }
        return sb.toString();
    }

    private static String concat(Random r, int depth) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String atom;
            int k = r.nextInt(10);
            if (k == 0 && depth < 3) {
                String[] open = {"(", "(?:", "(?i:", "(?-s:", "(?-m:", "(?P<g>", "(?-i:"};
                atom = open[r.nextInt(open.length)] + alternation(r, depth + 1) + ")";
            } else {
                atom = ATOMS[r.nextInt(ATOMS.length)];
            }
            sb.append(atom);
            int q = r.nextInt(12);
            String[] reps = {"*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "{0,2}"};
            if (q < reps.length) {
                sb.append(reps[q]);
            }
        }
        return sb.toString();
    }

    static String input(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(INPUT_CHARS[r.nextInt(INPUT_CHARS.length)]);
        }
        return sb.toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c > 0x7E ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}

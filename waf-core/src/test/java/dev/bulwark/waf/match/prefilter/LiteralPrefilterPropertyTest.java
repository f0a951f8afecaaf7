package dev.bulwark.waf.match.prefilter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property: for random regexes and inputs, whenever RE2J finds a match the prefilter says the
 * regex may match. Inputs are mostly sampled from the regex itself (so many do match), with
 * case variants from Unicode fold orbits for {@code (?i)} and random noise around them.
 */
class LiteralPrefilterPropertyTest {

    private final Random rnd = new Random(20240601L);
    private final RegexSampler gen = new RegexSampler(rnd);

    @Test
    void mayMatchWheneverRe2jFinds() {
        int matched = 0;
        int rejectedSomething = 0;
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < 250 && failures.size() < 10; round++) {
            int minLen = 1 + rnd.nextInt(3);
            LiteralPrefilter.Builder b = LiteralPrefilter.builder().minAtomLength(minLen);
            List<RegexSampler.Gen> gens = new ArrayList<>();
            List<Pattern> patterns = new ArrayList<>();
            List<Boolean> ciFlags = new ArrayList<>();
            while (gens.size() < 20) {
                boolean ci = rnd.nextInt(3) == 0;
                RegexSampler.Gen g = gen.node(4);
                String text = (ci ? "(?i)" : "") + g.regex();
                Pattern p;
                try {
                    p = Pattern.compile(text);
                } catch (PatternSyntaxException e) {
                    continue;
                }
                b.add(text);
                gens.add(g);
                patterns.add(p);
                ciFlags.add(ci);
            }
            LiteralPrefilter pf = b.build();
            for (int i = 0; i < gens.size(); i++) {
                for (int k = 0; k < 15; k++) {
                    StringBuilder in = new StringBuilder();
                    gen.noise(in);
                    if (k < 10) {
                        gens.get(i).sample(in, ciFlags.get(i));
                    }
                    gen.noise(in);
                    String input = in.toString();
                    LiteralPrefilter.Scan scan = pf.scan(input);
                    boolean may = pf.mayMatch(i, scan);
                    if (patterns.get(i).matcher(input).find()) {
                        matched++;
                        String missing = missingRequiredSet(pf, i, input);
                        if (missing != null) {
                            failures.add(patterns.get(i).pattern() + " requires one of " + missing
                                    + " but matches '" + input + "'");
                        }
                        if (!may) {
                            failures.add(patterns.get(i).pattern() + " (min " + minLen + ") requires "
                                    + pf.describe(i) + " but matches '" + input + "'");
                        }
                    } else if (!may) {
                        rejectedSomething++;
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
        assertTrue(matched > 20_000, "too few matching pairs: " + matched);
        assertTrue(rejectedSomething > 1_000, "the filter should reject some inputs: " + rejectedSomething);
    }

    /**
     * The first of the pattern's required character sets that the case-folded input holds no
     * character of, or null when the input holds one of each (as every input the pattern
     * matches must).
     */
    static String missingRequiredSet(LiteralPrefilter pf, int id, String input) {
        String folded = dev.bulwark.waf.match.AhoCorasick.foldString(input);
        for (String set : pf.requiredCharacterSets(id)) {
            boolean present = false;
            for (int k = 0; k < set.length() && !present; k++) {
                present = folded.indexOf(set.charAt(k)) >= 0;
            }
            if (!present) {
                return "[" + set + "]";
            }
        }
        return null;
    }
}

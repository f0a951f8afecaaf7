package dev.bulwark.waf.match;

import dev.bulwark.waf.spi.MatchContext;
import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.OperatorSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FinderTest {

    /** Both search paths (indexOf and KMP) agree with a naive reference on random texts. */
    @Test
    void agreesWithNaiveSearch() {
        Random r = new Random(42);
        for (int round = 0; round < 3_000; round++) {
            String needle = random(r, r.nextInt(70), 2);
            String text = random(r, r.nextInt(200), 2);
            Finder f = Finder.of(needle);
            assertEquals(text.contains(needle), f.in(text), () -> needle + " in " + text);
            List<Integer> seen = new ArrayList<>();
            f.anyMatch(text, at -> {
                seen.add(at);
                return false;
            });
            assertEquals(naiveAll(text, needle), seen, () -> needle + " in " + text);
        }
    }

    /** containsWord on input made of near-misses must stay linear (finishes quickly). */
    @Test
    void containsWordOnHostileInputCompletes() {
        String big = "a".repeat(300_000);
        Operator shortWord = Operators.builtins().get("containsWord")
                .create("aaaa", OperatorSupport.none());
        Operator longWord = Operators.builtins().get("containsWord")
                .create("a".repeat(1_000), OperatorSupport.none());
        assertFalse(shortWord.matches("x" + big + "x", MatchContext.empty()));
        assertFalse(longWord.matches("x" + big + "x", MatchContext.empty()));
        assertFalse(longWord.matches(big, MatchContext.empty()));
        assertTrue(longWord.matches("x " + "a".repeat(1_000), MatchContext.empty()));
    }

    @Test
    void withinWithHugeInputIsCheap() {
        Operator within = Operators.builtins().get("within").create("GET POST", OperatorSupport.none());
        assertFalse(within.matches("G".repeat(1_000_000), MatchContext.empty()));
    }

    private static List<Integer> naiveAll(String text, String needle) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i + needle.length() <= text.length(); i++) {
            if (text.startsWith(needle, i)) {
                out.add(i);
            }
        }
        return out;
    }

    private static String random(Random r, int len, int alphabet) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append((char) ('a' + r.nextInt(alphabet)));
        }
        return sb.toString();
    }
}

package dev.bulwark.waf.match.dfa;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CaseFold} must reproduce RE2J's {@code (?i)} orbits exactly on the running JVM. */
class CaseFoldTest {

    @Test
    void orbitsEqualRe2jForEveryCasedCodePoint() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (int c = CaseFold.MIN_FOLD; c <= CaseFold.MAX_FOLD; c++) {
            if (c >= 0x1C80 && c <= 0x1C88) {
                continue; // refused as unsupported (RE2J's fold chain does not cycle there)
            }
            Set<Integer> related = new LinkedHashSet<>();
            for (int m : CaseFold.orbit(c)) {
                related.add(m);
            }
            Set<Integer> orbit = new LinkedHashSet<>(related);
            for (int m : orbit) {
                related.add(Character.toLowerCase(m));
                related.add(Character.toUpperCase(m));
                related.add(Character.toTitleCase(m));
            }
            related.remove(c);
            if (related.isEmpty()) {
                continue;
            }
            checked++;
            Pattern p = Pattern.compile("(?i)\\x{" + Integer.toHexString(c) + "}");
            for (int m : related) {
                boolean re2j = p.matcher(new String(Character.toChars(m))).matches();
                if (re2j != orbit.contains(m) && wrong.size() < 20) {
                    wrong.add(String.format("U+%04X vs U+%04X: re2j %s", c, m, re2j));
                }
            }
        }
        assertTrue(checked > 2000, "checked " + checked);
        assertEquals(List.of(), wrong);
    }

    @Test
    void latin1() {
        assertEquals(Set.of((int) 'k', (int) 'K', 0x212A), set(CaseFold.orbit('k')));
        assertEquals(Set.of((int) 's', (int) 'S', 0x17F), set(CaseFold.orbit('S')));
        assertEquals(Set.of(0xB5, 0x39C, 0x3BC), set(CaseFold.orbit(0xB5)));
        assertEquals(Set.of((int) 'i', (int) 'I'), set(CaseFold.orbit('i')));
        assertEquals(Set.of(0x130), set(CaseFold.orbit(0x130)));
        assertEquals(Set.of((int) '1'), set(CaseFold.orbit('1')));
    }

    private static Set<Integer> set(int[] a) {
        Set<Integer> s = new LinkedHashSet<>();
        for (int x : a) {
            s.add(x);
        }
        return s;
    }
}

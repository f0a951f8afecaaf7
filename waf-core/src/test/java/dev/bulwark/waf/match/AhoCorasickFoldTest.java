package dev.bulwark.waf.match;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fold must give one value for every member of an RE2J case-folding orbit, otherwise the
 * prefilter could miss a {@code (?i)} match. Checked against RE2J's own orbit table.
 */
class AhoCorasickFoldTest {

    @Test
    void foldIsIdempotent() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            int f = AhoCorasick.fold(cp);
            assertEquals(f, AhoCorasick.fold(f), "code point " + Integer.toHexString(cp));
        }
    }

    @Test
    void foldIsConstantOnEveryRe2jCaseOrbit() throws Exception {
        Method simpleFold;
        try {
            Class<?> unicode = Class.forName("com.google.re2j.Unicode");
            simpleFold = unicode.getDeclaredMethod("simpleFold", int.class);
            simpleFold.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Assumptions.abort("RE2J internals not reachable: " + e);
            return;
        }
        List<String> bad = new ArrayList<>();
        int orbits = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            int next = (int) simpleFold.invoke(null, cp);
            if (next != cp) {
                orbits++;
                if (AhoCorasick.fold(next) != AhoCorasick.fold(cp)) {
                    bad.add(Integer.toHexString(cp) + "->" + Integer.toHexString(next));
                }
            }
        }
        assertTrue(orbits > 1000, "expected RE2J fold data, saw " + orbits);
        assertEquals(List.of(), bad);
    }
}

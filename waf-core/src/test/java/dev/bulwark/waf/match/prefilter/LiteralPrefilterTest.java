package dev.bulwark.waf.match.prefilter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Syntax-feature vectors from {@code prefilter/vectors.json}, plus API behaviour. */
class LiteralPrefilterTest {

    static List<JsonNode> vectors() throws IOException {
        try (InputStream in = LiteralPrefilterTest.class.getResourceAsStream("/prefilter/vectors.json")) {
            List<JsonNode> out = new ArrayList<>();
            new ObjectMapper().readTree(in).forEach(out::add);
            return out;
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("vectors")
    void vector(JsonNode v) {
        String regex = v.get("regex").asText();
        LiteralPrefilter.Builder b = LiteralPrefilter.builder();
        if (v.has("minAtomLength")) {
            b.minAtomLength(v.get("minAtomLength").asInt());
        }
        int id = b.add(regex);
        LiteralPrefilter pf = b.build();
        String requires = v.get("requires").asText();
        if (!v.path("skipRequires").asBoolean()) {
            assertEquals(requires, pf.describe(id), regex);
        }
        assertEquals(!requires.equals("ANY"), pf.isFiltered(id));
        Pattern p = null;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            assertEquals("ANY", requires, "a regex RE2J rejects must stay unfiltered here");
        }
        for (JsonNode m : v.path("matches")) {
            String in = m.asText();
            assertTrue(p != null && p.matcher(in).find(), "vector input should match: " + in);
            assertTrue(pf.mayMatch(id, pf.scan(in)), () -> regex + " must not reject " + in);
        }
        for (JsonNode r : v.path("rejects")) {
            String in = r.asText();
            assertFalse(pf.mayMatch(id, pf.scan(in)), () -> regex + " should reject " + in);
        }
    }

    @Test
    void idsStatsAndSharedAutomaton() {
        LiteralPrefilter.Builder b = LiteralPrefilter.builder();
        assertEquals(0, b.add("(?i)union\\s+select"));
        assertEquals(1, b.add("^$"));
        assertEquals(2, b.add("select|drop\\s+table"));
        LiteralPrefilter pf = b.build();
        assertEquals(3, pf.patternCount());
        assertEquals(2, pf.filteredCount());
        assertEquals(4, pf.atomCount()); // union, select, drop, table
        LiteralPrefilter.Scan s = pf.scan("UNION ALL SELECT 1");
        assertEquals(2, s.candidateCount());
        assertTrue(pf.mayMatch(0, s));
        assertTrue(pf.mayMatch(1, s), "unfiltered patterns always may match");
        assertTrue(pf.mayMatch(2, s));
        LiteralPrefilter.Scan t = pf.scan("drop it");
        assertFalse(pf.mayMatch(0, t));
        assertFalse(pf.mayMatch(2, t));
    }

    @Test
    void requiredCharacterSetsFollowTheFormula() {
        LiteralPrefilter.Builder b = LiteralPrefilter.builder().minAtomLength(1).ignoreCommonCharacters(true);
        int lt = b.add("<script");
        int or = b.add("(?:on\\w+=|src=)");
        int union = b.add("(?:<a|>b)");
        int none = b.add("(?:abc|<)");
        int lines = b.add("http/1\\.1[\\r\\n]");
        int plain = b.add("select");
        LiteralPrefilter pf = b.build();
        assertEquals(java.util.List.of("<"), pf.requiredCharacterSets(lt));
        assertTrue(pf.requiredCharacterSets(or).contains("="), () -> pf.requiredCharacterSets(or).toString());
        assertEquals(java.util.List.of("<>"), pf.requiredCharacterSets(union));
        assertEquals(java.util.List.of(), pf.requiredCharacterSets(none), "a branch without rare characters requires none");
        assertTrue(pf.requiredCharacterSets(lines).contains("\n\r"), () -> pf.requiredCharacterSets(lines).toString());
        assertEquals(java.util.List.of(), pf.requiredCharacterSets(plain), "letters are never required");
    }

    @Test
    void rejectsForeignScansAndBadArguments() {
        LiteralPrefilter a = LiteralPrefilter.builder().build();
        LiteralPrefilter.Builder bb = LiteralPrefilter.builder();
        bb.add("abc");
        LiteralPrefilter b = bb.build();
        assertThrows(IllegalArgumentException.class, () -> b.mayMatch(0, a.scan("abc")));
        assertThrows(IndexOutOfBoundsException.class, () -> b.mayMatch(1, b.scan("abc")));
        assertThrows(IllegalArgumentException.class, () -> LiteralPrefilter.builder().minAtomLength(0));
        assertThrows(NullPointerException.class, () -> LiteralPrefilter.builder().add(null));
        assertEquals(0, a.patternCount());
        assertEquals(0, a.scan("").candidateCount());
    }

    @Test
    void commonCharactersCanCountAsAlwaysPresent() {
        LiteralPrefilter.Builder b = LiteralPrefilter.builder().minAtomLength(1).ignoreCommonCharacters(true);
        int letters = b.add("a\\s*b");
        int angle = b.add("<\\s*s");
        int crlf = b.add("[\\r\\n]\\s*x-");
        LiteralPrefilter pf = b.build();
        assertFalse(pf.isFiltered(letters), "letters and spaces filter nothing");
        assertEquals("\"<\"", pf.describe(angle));
        assertFalse(pf.mayMatch(angle, pf.scan("plain words")));
        assertTrue(pf.mayMatch(angle, pf.scan("a <s")));
        assertTrue(pf.isFiltered(crlf), "line breaks are rare in values: still atoms");
        assertFalse(pf.mayMatch(crlf, pf.scan("x-forwarded")));
    }

    @Test
    void phraseListsAreRequirementsToo() {
        LiteralPrefilter.Builder b = LiteralPrefilter.builder().minAtomLength(1);
        int pm = b.addAnyOf(java.util.List.of("/etc/passwd", "BOOT.INI"));
        int none = b.addAnyOf(java.util.List.of());
        int rx = b.add("(?:a|b)c(?:d|e)");
        LiteralPrefilter pf = b.build();
        assertTrue(pf.mayMatch(pm, pf.scan("x=/ETC/passwd")));
        assertTrue(pf.mayMatch(pm, pf.scan("c:\\boot.ini")));
        assertFalse(pf.mayMatch(pm, pf.scan("etc passwd")));
        assertFalse(pf.mayMatch(none, pf.scan("anything")), "an empty phrase list never matches");
        // Bottom-up evaluation of AND(OR(a, b), c, OR(d, e)): every conjunct must be present.
        assertTrue(pf.mayMatch(rx, pf.scan("bce")));
        assertFalse(pf.mayMatch(rx, pf.scan("b c")));
        assertFalse(pf.mayMatch(rx, pf.scan("ac")));
        // The scanner reuses its counters: a later value must not see an earlier one's atoms.
        LiteralPrefilter.Scanner sc = pf.newScanner();
        assertTrue(sc.candidates("acd").get(rx));
        assertFalse(sc.candidates("a").get(rx));
        assertFalse(sc.candidates("c").get(rx));
        assertFalse(sc.candidates("d").get(rx));
    }

    @Test
    void hugeAndDeepPatternsStayCheapAndUnfilteredWhenNeeded() {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            deep.append('(');
        }
        deep.append("abc");
        for (int i = 0; i < 5000; i++) {
            deep.append(')');
        }
        StringBuilder wide = new StringBuilder("(?:");
        for (int i = 0; i < 20000; i++) {
            wide.append(i == 0 ? "" : "|").append("w").append(i).append("x");
        }
        wide.append(")[ab][cd][ef][gh][ij]");
        StringBuilder blowup = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            blowup.append("[ab][cd]?");
        }
        long t0 = System.nanoTime();
        LiteralPrefilter.Builder b = LiteralPrefilter.builder();
        int d = b.add(deep.toString());
        int w = b.add(wide.toString());
        int x = b.add(blowup.toString());
        LiteralPrefilter pf = b.build();
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "analysis must stay cheap");
        assertFalse(pf.isFiltered(d), "nesting deeper than the bound stays unfiltered");
        LiteralPrefilter.Scan s = pf.scan("w123xbdfhj");
        assertTrue(pf.mayMatch(w, s));
        assertTrue(pf.mayMatch(x, pf.scan("acbd".repeat(1000))));
    }
}

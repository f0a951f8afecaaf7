package dev.bulwark.waf.internal;

import dev.bulwark.waf.spi.Transformation;
import dev.bulwark.waf.transform.Transformations;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine skips a transformation when the value lacks its trigger characters: that must never change a result. */
class CharMaskTest {

    private static final String ALPHABET = "abcXYZ019 \t\n%+&\\\u0000/.*-#<$;'\"()=_~!?,:@[]{}|^`\u00e9\u00c9\u0130\u212a\uff0f\u00a0\u2028\u0001\u007f";

    @Test
    void skippedTransformationsWouldNotHaveChangedTheValue() {
        Random rnd = new Random(7);
        int checked = 0;
        for (Map.Entry<String, Transformation> e : Transformations.builtins().entrySet()) {
            long trig = CharMask.triggers(e.getKey());
            if (trig == CharMask.ALWAYS) {
                continue;
            }
            for (int i = 0; i < 4000; i++) {
                String s = random(rnd, trig);
                assertEquals(0, CharMask.of(s) & trig, "generator must avoid the triggers");
                assertEquals(s, e.getValue().apply(s), e.getKey() + " changed a value without its trigger characters: " + s);
                checked++;
            }
        }
        assertTrue(checked > 40_000, "checked " + checked);
    }

    /** The engine skips @validateByteRange for values whose kinds all lie in the allowed set's safe kinds. */
    @Test
    void byteRangeShortcutNeverHidesADisallowedByte() {
        Random rnd = new Random(13);
        String[] ranges = {"1-255", "0-255", "9,10,13,32-126", "32-126,128-255", "1-8,11-255", "1-47,58-255", "0-127"};
        int decided = 0;
        for (String range : ranges) {
            dev.bulwark.waf.spi.Operator op = dev.bulwark.waf.match.Operators.builtins().get("validateByteRange")
                    .create(range, dev.bulwark.waf.spi.OperatorSupport.none());
            long safe = CharMask.kindsWithin(dev.bulwark.waf.match.Operators.allowedBytesOf(op));
            for (int i = 0; i < 5000; i++) {
                String s = random(rnd, 0);
                if (safe != 0 && (CharMask.of(s) & ~safe) == 0) {
                    decided++;
                    assertEquals(false, op.matches(s, dev.bulwark.waf.spi.MatchContext.empty()), range + ": " + s);
                }
            }
        }
        assertTrue(decided > 1000, "decided " + decided);
    }

    /** A result's kinds worked out from its input's never miss a kind the result really has. */
    @Test
    void transferredMasksCoverTheResult() {
        Random rnd = new Random(5);
        int checked = 0;
        for (String name : new String[] {"trim", "trimLeft", "trimRight", "removeNulls", "lowercase", "removeWhitespace"}) {
            Transformation t = Transformations.builtins().get(name);
            byte code = CharMask.transferOf(name);
            for (int i = 0; i < 5000; i++) {
                String s = random(rnd, 0);
                long m = CharMask.transfer(code, CharMask.of(s));
                if (m == -1) {
                    continue;
                }
                long actual = CharMask.of(t.apply(s));
                assertEquals(0, actual & ~m, () -> name + " of " + s);
                if ((actual & CharMask.NON_ASCII) == 0 && (CharMask.of(s) & CharMask.NON_ASCII) == 0) {
                    assertEquals(0, m & CharMask.NON_ASCII, "exact for ASCII");
                }
                checked++;
            }
        }
        assertTrue(checked > 20_000, "checked " + checked);
    }

    /** Kind clauses rule a value out only when it lacks every character of some required set. */
    @Test
    void kindClausesFromRequiredCharacterSets() {
        long[] clauses = CharMask.clauses(java.util.List.of("<", "\n\r", "=("));
        assertEquals(3, clauses.length);
        assertTrue(CharMask.meets(CharMask.of("a<b\r\nc=d"), clauses));
        assertTrue(CharMask.meets(CharMask.of("<x(\n"), clauses));
        assertEquals(false, CharMask.meets(CharMask.of("a<b c=d"), clauses), "a space is no line break");
        assertEquals(false, CharMask.meets(CharMask.of("\n=("), clauses));
        // A set holding a character without a kind (a digit, '%'-like punctuation without a bit) is left out.
        assertEquals(null, CharMask.clauses(java.util.List.of("5")));
        assertEquals(1, CharMask.clauses(java.util.List.of("<", "_<")).length);
        assertTrue(CharMask.meets(CharMask.of("\u00e9"), CharMask.clauses(java.util.List.of("\u00e9"))));
    }

    /**
     * The prefilter folds case before it looks for required characters, so a required ASCII
     * symbol must not be the fold of any other character; only letters are (Kelvin sign, long s).
     */
    @Test
    void noOtherCharacterFoldsToAnAsciiSymbol() {
        for (int cp = 128; cp <= Character.MAX_CODE_POINT; cp++) {
            int f = dev.bulwark.waf.match.AhoCorasick.fold(cp);
            if (f < 128) {
                assertTrue(Character.isLetter(f), "U+" + Integer.toHexString(cp) + " folds to '" + (char) f + "'");
            }
        }
        for (char c = 0; c < 128; c++) {
            if (!Character.isLetter(c)) {
                assertEquals(c, dev.bulwark.waf.match.AhoCorasick.fold(c));
            }
        }
    }

    /** A random string from the alphabet minus every character whose kind is in {@code avoid}. */
    private static String random(Random rnd, long avoid) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(24);
        while (sb.length() < n) {
            char c = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
            if ((CharMask.of(String.valueOf(c)) & avoid) == 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

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

package dev.bulwark.waf.transform;

import dev.bulwark.waf.spi.Transformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry itself, robustness on hostile input, and the 1 MB linear-time smoke test. */
class TransformationsTest {

    private static final Set<String> EXPECTED = Set.of(
            "none", "urlDecode", "urlDecodeUni", "urlDecodeRecursive", "htmlEntityDecode", "jsDecode",
            "cssDecode", "base64Decode", "base64DecodeExt", "base64DecodeRuns", "base64Encode", "hexDecode", "hexEncode",
            "sqlHexDecode", "escapeSeqDecode", "lowercase", "uppercase", "compressWhitespace",
            "removeWhitespace", "removeNulls", "replaceNulls", "normalizePath", "normalisePath",
            "normalizePathWin", "normalisePathWin", "removeComments", "removeCommentsChar",
            "replaceComments", "cmdLine", "trim", "trimLeft", "trimRight", "utf8toUnicode", "length",
            "md5", "sha1", "log4jLookupDecode", "unicodeNormalize");

    private static final Map<String, Transformation> T = Transformations.builtins();

    @Test
    void exactlyTheDocumentedNamesArePresent() {
        assertEquals(EXPECTED, T.keySet());
    }

    @Test
    void registryIsImmutable() {
        assertThrows(UnsupportedOperationException.class, () -> T.put("x", s -> s));
    }

    /** Hostile alphabet: every escape introducer, digits, surrogates, NUL, Latin-1 and full-width chars. */
    private static final String ALPHABET =
            "%uU+&#xX;\\${}:-'\"/.*<!>0123456789abcdefABCDEF \t\r\n\u0000\u00a0\u00e9\u00ff"
                    + "\ud800\udc00\uff0f\u212a=_^,()jndi";

    @Test
    void randomHostileInputNeverThrows() {
        Random r = new Random(1234);
        for (int round = 0; round < 3000; round++) {
            char[] cs = new char[r.nextInt(40)];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
            }
            String in = new String(cs);
            for (Map.Entry<String, Transformation> e : T.entrySet()) {
                String out = e.getValue().apply(in);
                assertNotNull(out, e.getKey() + " on " + in);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain ascii text", "x", ""})
    void decodersReturnTheSameInstanceWhenNothingChanges(String in) {
        for (String name : new String[] {"urlDecode", "urlDecodeUni", "urlDecodeRecursive", "htmlEntityDecode",
                "jsDecode", "cssDecode", "escapeSeqDecode", "sqlHexDecode", "removeNulls", "replaceNulls",
                "removeComments", "removeCommentsChar", "replaceComments", "utf8toUnicode", "log4jLookupDecode",
                "unicodeNormalize", "none", "lowercase", "compressWhitespace", "normalizePath"}) {
            assertSame(in, T.get(name).apply(in), name);
        }
    }

    /** Found by TransformationsFuzzTest: the JDK's case mapping copies values with a lone surrogate. */
    @Test
    void caseMappingReturnsAnUnchangedValueWithALoneSurrogateItself() {
        String upper = new String("ABC \ud800");
        String lower = new String("abc \udc00x");
        assertSame(upper, T.get("uppercase").apply(upper));
        assertSame(lower, T.get("lowercase").apply(lower));
        assertEquals("abc \ud800", T.get("lowercase").apply(upper));
    }

    /** Found by TransformationsFuzzTest: "1" is its own length. */
    @Test
    void lengthReturnsAFixedPointItself() {
        String one = new String("1");
        assertSame(one, T.get("length").apply(one));
        assertEquals("2", T.get("length").apply("12"));
    }

    /** Found by TransformationsFuzzTest: the binary codecs returned a new "" for "". */
    @Test
    void everyTransformationReturnsAnUnchangedEmptyValueItself() {
        String empty = new String("");
        for (Map.Entry<String, Transformation> e : T.entrySet()) {
            String out = e.getValue().apply(empty);
            if (out.isEmpty()) {
                assertSame(empty, out, e.getKey());
            }
        }
    }

    /**
     * Adversarial 1 MB inputs for every builtin. No timing assertion: a quadratic implementation
     * would take hours here and hit the surefire timeout, which is the failure signal.
     */
    @ParameterizedTest
    @ValueSource(strings = {"%", "%u", "%4", "&#", "&#x1", "&lt", "\\u", "\\u{1", "\\x4", "\\1", "${", "${::-",
            "}", "/../", "/./", "//", "/*", "<!--", "--", "0x4", "\u00e9", "\ud800", "\ufdfa", "\uff07", " ", "\u0000", "ab", "${jndi:"})
    void oneMegabyteOfRepeatedPatternIsHandled(String unit) {
        String in = unit.repeat(1_000_000 / unit.length());
        for (Map.Entry<String, Transformation> e : T.entrySet()) {
            String out = e.getValue().apply(in);
            assertNotNull(out, e.getKey());
            // nothing expands more than hexEncode/utf8toUnicode/base64Encode do (at most 6x per char)
            assertTrue(out.length() <= in.length() * 6 + 64, e.getKey() + " expanded to " + out.length());
        }
    }

    @Test
    void log4jDeepNestingIsCappedAndBalanced() {
        int depth = Log4jLookups.MAX_NESTING + 8;
        String deepNoColon = "${".repeat(depth) + "x" + "}".repeat(depth);
        assertEquals(deepNoColon, T.get("log4jLookupDecode").apply(deepNoColon));

        String deepLower = "${lower:".repeat(depth) + "X" + "}".repeat(depth);
        // the 8 levels beyond the cap stay literal text, lower-cased as the argument of the levels below
        assertEquals("${lower:".repeat(8) + "x" + "}".repeat(8), T.get("log4jLookupDecode").apply(deepLower));

        // beyond the cap the inner lookup is literal, but the outer ones still resolve
        String deepJndi = "${::-".repeat(depth) + "${jndi:x}" + "}".repeat(depth);
        String out = T.get("log4jLookupDecode").apply(deepJndi);
        assertTrue(out.contains("${jndi:x}"), out);
    }

    @Test
    void log4jManyUnclosedOpeningsStayLiteral() {
        String in = "${".repeat(100_000);
        assertEquals(in, T.get("log4jLookupDecode").apply(in));
    }
}

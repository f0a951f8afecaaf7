package dev.bulwark.waf.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bulwark.waf.spi.Transformation;
import dev.bulwark.waf.testing.FuzzInputs;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes every built-in transformation (the registry, so a new one is covered without a change
 * here): none throws; each returns its input itself when nothing changes (the
 * {@link Transformation} contract); decoders never make a value longer and encoders grow it by
 * at most their stated factor; the normal forms are fixed points; the shortcut paths give what
 * the straightforward versions give (the references of {@link ShortcutEquivalenceTest}); and
 * hex/base64 encoding round-trips where the byte view is exact. The input is the fuzzer's bytes
 * as {@link FuzzInputs#text} (lone surrogates reachable). Seeds: {@code TransformationsFuzzTestInputs/}.
 */
class TransformationsFuzzTest {

    /** Transformations whose output is a normal form: applying them twice changes nothing more. */
    private static final Set<String> IDEMPOTENT = Set.of("none", "lowercase", "uppercase", "compressWhitespace",
            "removeWhitespace", "removeNulls", "replaceNulls", "trim", "trimLeft", "trimRight",
            "normalizePath", "normalisePath", "normalizePathWin", "normalisePathWin");

    @FuzzTest(maxDuration = "20s")
    void everyTransformation(byte[] data) {
        String in = FuzzInputs.text(data);
        for (Map.Entry<String, Transformation> e : Transformations.builtins().entrySet()) {
            String name = e.getKey();
            String out = e.getValue().apply(in);
            assertNotNull(out, name);
            if (out.equals(in)) {
                assertSame(in, out, () -> name + " returned an equal copy of " + ShortcutEquivalenceTest.escape(in));
            }
            int max = maxLength(name, in.length());
            assertTrue(out.length() <= max, () -> name + " grew " + in.length() + " chars to " + out.length()
                    + ": " + ShortcutEquivalenceTest.escape(in));
            if (IDEMPOTENT.contains(name)) {
                assertEquals(out, e.getValue().apply(out), () -> name + " is not idempotent on " + ShortcutEquivalenceTest.escape(in));
            }
        }
    }

    @FuzzTest(maxDuration = "20s")
    void shortcutsAgreeWithReferences(byte[] data) {
        String s = FuzzInputs.text(data);
        assertEquals(TextTransforms.cmdLineFull(s), TextTransforms.cmdLine(s));
        assertEquals(TextTransforms.compressWhitespaceFull(s), TextTransforms.compressWhitespace(s));
        assertEquals(PathNormalizer.normalizeFull(s, false), PathNormalizer.normalize(s, false));
        assertEquals(PathNormalizer.normalizeFull(s, true), PathNormalizer.normalize(s, true));
        assertEquals(ShortcutEquivalenceTest.referenceHtmlDecode(s), HtmlEntities.decode(s));
        assertEquals(ShortcutEquivalenceTest.referenceRemove(s, true), TextTransforms.removeWhitespace(s));
        assertEquals(ShortcutEquivalenceTest.referenceRemove(s, false), TextTransforms.removeNulls(s));
        assertEquals(ShortcutEquivalenceTest.referenceBase64Runs(s), BinaryCodecs.base64DecodeRuns(s));
        for (boolean unicode : new boolean[] {false, true}) {
            String general = UrlDecoding.decodeGeneral(s, unicode);
            String fast = UrlDecoding.decode(s, unicode);
            assertEquals(general, fast);
            assertEquals(general.equals(s), fast == s);
        }
        if (Utf8Lenient.decode(Utf8Lenient.encode(s)).equals(s)) {
            assertEquals(s, BinaryCodecs.hexDecode(BinaryCodecs.hexEncode(s)));
            assertEquals(s, BinaryCodecs.base64Decode(BinaryCodecs.base64Encode(s), false));
        }
    }

    /**
     * The longest output each transformation may give for an input of {@code n} chars: the byte
     * view uses at most 3 bytes per char, Java's case mapping at most 3 chars per char.
     */
    static int maxLength(String name, int n) {
        switch (name) {
            case "base64Encode":
                return (3 * n + 2) / 3 * 4;
            case "hexEncode":
            case "utf8toUnicode":
                return 6 * n;
            case "lowercase":
            case "uppercase":
                return 3 * n;
            case "unicodeNormalize":
                return UnicodeNormalizer.MAX_EXPANSION * n;
            case "length":
                return 10;
            case "md5":
                return 16;
            case "sha1":
                return 20;
            default:
                return n; // every decoder and every removal
        }
    }
}

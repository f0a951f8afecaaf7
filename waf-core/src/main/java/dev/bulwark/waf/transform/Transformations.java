package dev.bulwark.waf.transform;

import dev.bulwark.waf.spi.Transformation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in transformations, by their ModSecurity names (camelCase; the engine looks them up
 * case-insensitively). Semantics follow the ModSecurity reference manual unless noted on the
 * implementing class; all are linear, never throw, and leave invalid encodings as they are.
 * Values are Java Strings; decoders that yield bytes turn them into chars with
 * {@link Utf8Lenient}, and transformations that need bytes use its byte view.
 *
 * <p>Names: {@code none} (identity; the engine treats it as "clear the chain"),
 * {@code urlDecode}, {@code urlDecodeUni} ({@code %uXXXX}; full-width ASCII produced by decoding
 * is folded to ASCII), {@code htmlEntityDecode}, {@code jsDecode}, {@code cssDecode},
 * {@code base64Decode}, {@code base64DecodeExt}, {@code base64DecodeRuns}, {@code base64Encode}, {@code hexDecode},
 * {@code hexEncode}, {@code sqlHexDecode}, {@code escapeSeqDecode}, {@code lowercase},
 * {@code uppercase}, {@code compressWhitespace}, {@code removeWhitespace}, {@code removeNulls},
 * {@code replaceNulls}, {@code normalizePath}/{@code normalisePath},
 * {@code normalizePathWin}/{@code normalisePathWin}, {@code removeComments},
 * {@code removeCommentsChar}, {@code replaceComments}, {@code cmdLine}, {@code trim},
 * {@code trimLeft}, {@code trimRight}, {@code utf8toUnicode}, {@code length}, {@code md5},
 * {@code sha1} (raw digest as one U+00XX char per byte; follow with {@code hexEncode}).
 *
 * <p>Bulwark extras:
 * <ul>
 *   <li>{@code urlDecodeRecursive}: {@code urlDecodeUni} repeated until the value stops
 *       changing, at most 4 passes, which undoes double and triple encoding
 *       ({@code %252e} to {@code .}) while staying linear.</li>
 *   <li>{@code log4jLookupDecode}: evaluates Log4j2 lookup obfuscation, e.g.
 *       {@code ${${lower:j}${upper:n}di:ldap://x}}, {@code ${${::-j}ndi:...}},
 *       {@code ${${env:NOPE:-j}ndi:...}} and {@code ${${date:'j'}ndi:...}} all become
 *       {@code ${jndi:...}} (see {@code Log4jLookups} for the exact rules; nesting capped at 32).</li>
 *   <li>{@code unicodeNormalize}: Unicode NFKC (full-width and other compatibility forms become
 *       their plain equivalents: {@code ＜ｓｃｒｉｐｔ＞} becomes {@code <script>}); ASCII input is
 *       returned unchanged, and the few characters that expand to more than 4 chars are kept
 *       (see {@code UnicodeNormalizer}).</li>
 * </ul>
 *
 * <p>Thread-safe: the map is immutable and every transformation is stateless.
 */
public final class Transformations {

    private static final Map<String, Transformation> BUILTINS = build();

    private Transformations() {
    }

    /** All built-in transformations keyed by their canonical name; the map is immutable. */
    public static Map<String, Transformation> builtins() {
        return BUILTINS;
    }

    private static Map<String, Transformation> build() {
        Map<String, Transformation> m = new LinkedHashMap<>();
        m.put("none", s -> s);
        m.put("urlDecode", s -> UrlDecoding.decode(s, false));
        m.put("urlDecodeUni", s -> UrlDecoding.decode(s, true));
        m.put("urlDecodeRecursive", UrlDecoding::decodeRecursive);
        m.put("htmlEntityDecode", HtmlEntities::decode);
        m.put("jsDecode", EscapeDecoding::js);
        m.put("cssDecode", EscapeDecoding::css);
        m.put("escapeSeqDecode", EscapeDecoding::escapeSeq);
        m.put("base64Decode", s -> BinaryCodecs.base64Decode(s, false));
        m.put("base64DecodeExt", s -> BinaryCodecs.base64Decode(s, true));
        m.put("base64DecodeRuns", BinaryCodecs::base64DecodeRuns);
        m.put("base64Encode", BinaryCodecs::base64Encode);
        m.put("hexDecode", BinaryCodecs::hexDecode);
        m.put("hexEncode", BinaryCodecs::hexEncode);
        m.put("sqlHexDecode", BinaryCodecs::sqlHexDecode);
        m.put("utf8toUnicode", BinaryCodecs::utf8toUnicode);
        m.put("length", BinaryCodecs::length);
        m.put("md5", s -> BinaryCodecs.digest(s, "MD5"));
        m.put("sha1", s -> BinaryCodecs.digest(s, "SHA-1"));
        m.put("lowercase", TextTransforms::lowercase);
        m.put("uppercase", TextTransforms::uppercase);
        m.put("compressWhitespace", TextTransforms::compressWhitespace);
        m.put("removeWhitespace", TextTransforms::removeWhitespace);
        m.put("removeNulls", TextTransforms::removeNulls);
        m.put("replaceNulls", TextTransforms::replaceNulls);
        m.put("removeComments", TextTransforms::removeComments);
        m.put("removeCommentsChar", TextTransforms::removeCommentsChar);
        m.put("replaceComments", TextTransforms::replaceComments);
        m.put("cmdLine", TextTransforms::cmdLine);
        m.put("trim", s -> TextTransforms.trim(s, true, true));
        m.put("trimLeft", s -> TextTransforms.trim(s, true, false));
        m.put("trimRight", s -> TextTransforms.trim(s, false, true));
        Transformation path = s -> PathNormalizer.normalize(s, false);
        Transformation pathWin = s -> PathNormalizer.normalize(s, true);
        m.put("normalizePath", path);
        m.put("normalisePath", path);
        m.put("normalizePathWin", pathWin);
        m.put("normalisePathWin", pathWin);
        m.put("log4jLookupDecode", Log4jLookups::decode);
        m.put("unicodeNormalize", UnicodeNormalizer::normalize);
        return Collections.unmodifiableMap(m);
    }
}

package dev.bulwark.waf.match;

import dev.bulwark.waf.transform.Utf8Lenient;

import dev.bulwark.waf.spi.MatchContext;

/**
 * {@code @validateUrlEncoding} and {@code @validateUtf8Encoding}. Both take no argument and
 * match when the input is <em>invalid</em>.
 */
final class EncodingValidators {

    private EncodingValidators() {
    }

    /**
     * Matches when a '%' is not followed by two hex digits (including a '%' too close to the
     * end), as ModSecurity does. Inputs are normally the raw, not yet decoded values.
     */
    static boolean invalidUrlEncoding(String input, MatchContext ctx) {
        int n = input.length();
        for (int i = input.indexOf('%'); i >= 0; i = input.indexOf('%', i + 1)) {
            if (i + 2 >= n || !isHex(input.charAt(i + 1)) || !isHex(input.charAt(i + 2))) {
                return true;
            }
            i += 2;
        }
        return false;
    }

    /**
     * Matches when the input shows that it was not valid UTF-8. Values reach operators as
     * Strings that were already decoded leniently (invalid bytes become U+0080..U+00FF), and a
     * String cannot tell an invalid byte 0xE9 from a correctly encoded U+00E9, so re-reading
     * Latin-1 chars as bytes would flag every accented letter. The rule is therefore limited to
     * evidence that valid UTF-8 practically never produces; the input matches when it holds:
     * <ul>
     *   <li>an unpaired surrogate (no UTF-8 encoding exists for it);</li>
     *   <li>a C1 control U+0080..U+009F: the lenient decoder yields these for stray
     *       continuation bytes 0x80..0x9F, which is also how truncated multi-byte sequences
     *       such as {@code E2 82} show up;</li>
     *   <li>U+FFFD, which a strict upstream decoder leaves where it met invalid bytes.</li>
     * </ul>
     * Byte-exact validation is {@link #firstInvalidUtf8(byte[], int, int)}, for callers that
     * still hold the raw bytes.
     */
    static boolean invalidUtf8(String input, MatchContext ctx) {
        int n = input.length();
        for (int i = 0; i < n; i++) {
            char c = input.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c <= 0x9F || c == 0xFFFD) {
                return true;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(input.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return true;
            }
            if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Strict UTF-8 validation of raw bytes (RFC 3629): rejects stray continuation bytes,
     * truncated sequences, overlong forms, encoded surrogates and code points over U+10FFFF.
     *
     * @return the offset of the first byte of the first invalid sequence, or -1 when valid
     */
    static int firstInvalidUtf8(byte[] b, int off, int len) {
        return Utf8Lenient.firstInvalid(b, off, len);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}

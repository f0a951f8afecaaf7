package dev.bulwark.waf.transform;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Transformations that work on the byte view of a value ({@link Utf8Lenient#encode}) or produce
 * bytes: base64, hex, SQL hex, digests, length and {@code utf8toUnicode}. Stateless.
 */
final class BinaryCodecs {

    private static final char[] B64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private BinaryCodecs() {
    }

    private static int b64(char c, boolean urlSafe) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+' || (urlSafe && c == '-')) {
            return 62;
        }
        if (c == '/' || (urlSafe && c == '_')) {
            return 63;
        }
        return -1;
    }

    /**
     * {@code base64Decode}: decodes the leading run of standard-alphabet chars, stopping at the
     * first {@code =} or other char outside the alphabet (ModSecurity behaviour); the rest is
     * dropped. A final group of 2 or 3 chars yields its whole bytes, a lone final char nothing.
     * {@code base64DecodeExt} ({@code lenient}): skips every char outside the alphabet,
     * including {@code =} and whitespace anywhere, and also accepts the URL-safe {@code -_}.
     */
    static String base64Decode(String s, boolean lenient) {
        int n = s.length();
        if (n == 0) {
            return s; // the Transformation contract: unchanged values come back as themselves
        }
        byte[] out = new byte[n * 3 / 4 + 3];
        int p = 0;
        int acc = 0;
        int bits = 0;
        for (int i = 0; i < n; i++) {
            int v = b64(s.charAt(i), lenient);
            if (v < 0) {
                if (lenient) {
                    continue;
                }
                break;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[p++] = (byte) (acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return Utf8Lenient.decode(out, 0, p);
    }

    /** Per ASCII char: 0 outside the URL-safe base64 alphabet, 1 lower case, 2 upper case, 4 other. */
    private static final byte[] RUN_CHAR = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            if (b64(c, true) >= 0) {
                RUN_CHAR[c] = (byte) (c >= 'a' && c <= 'z' ? 1 : c >= 'A' && c <= 'Z' ? 2 : 4);
            }
        }
    }

    /** Shortest run of alphabet characters {@link #base64DecodeRuns} decodes. */
    static final int MIN_BASE64_RUN = 8;

    /**
     * {@code base64DecodeRuns}: decodes each run of at least {@value #MIN_BASE64_RUN} base64
     * characters (standard or URL-safe alphabet, optional {@code =} padding) that looks encoded
     * rather than like a word or a number, and joins the decoded runs with a space; a value with
     * no such run becomes empty. Unlike {@code base64DecodeExt}, ordinary text does not turn into
     * binary noise (which every later rule would have to scan), and each run is decoded on its
     * own 4-character alignment, so a payload embedded after a prefix ({@code data=PHNj...}) is
     * found. "Looks encoded": lower-case letters and an upper-case letter after the run's first
     * character, as base64 of text practically always has; words, capitalised words, numbers and
     * paths such as {@code Firefox/128} are left alone. Camel-case identifiers are decoded too,
     * which costs time, never a false negative.
     */
    static String base64DecodeRuns(String s) {
        int n = s.length();
        if (n < MIN_BASE64_RUN) {
            return n == 0 ? s : "";
        }
        // A run qualifies only with an upper-case letter after its first char, which text
        // rarely has: look for that pair first, in one tight loop, and only then find the run
        // around it (maximal runs of alphabet chars, as a left-to-right walk would see them).
        StringBuilder out = null;
        char[] chars = s.toCharArray();
        int i = 1;
        while (i < n) {
            char c = chars[i];
            char prev = chars[i - 1];
            if ((char) (c - 'A') >= 26 || prev >= 128 || RUN_CHAR[prev] == 0) {
                i++;
                continue;
            }
            int start = i - 1;
            while (start > 0 && chars[start - 1] < 128 && RUN_CHAR[chars[start - 1]] != 0) {
                start--;
            }
            int end = i + 1;
            while (end < n && chars[end] < 128 && RUN_CHAR[chars[end]] != 0) {
                end++;
            }
            boolean lower = false;
            for (int j = start; j < end && !lower; j++) {
                lower = chars[j] >= 'a' && chars[j] <= 'z';
            }
            if (end - start >= MIN_BASE64_RUN && lower) {
                if (out == null) {
                    out = new StringBuilder();
                } else {
                    out.append(' ');
                }
                out.append(base64Decode(s.substring(start, end), true));
            }
            i = end + 1; // the char at end is outside the alphabet (or the text ended)
        }
        return out == null ? "" : out.toString();
    }

    /** {@code base64Encode}: standard alphabet with padding, over the byte view. */
    static String base64Encode(String s) {
        if (s.isEmpty()) {
            return s;
        }
        byte[] b = Utf8Lenient.encode(s);
        StringBuilder sb = new StringBuilder((b.length + 2) / 3 * 4);
        int i = 0;
        for (; i + 2 < b.length; i += 3) {
            int v = ((b[i] & 0xFF) << 16) | ((b[i + 1] & 0xFF) << 8) | (b[i + 2] & 0xFF);
            sb.append(B64[v >> 18]).append(B64[(v >> 12) & 63]).append(B64[(v >> 6) & 63]).append(B64[v & 63]);
        }
        int rest = b.length - i;
        if (rest == 1) {
            int v = (b[i] & 0xFF) << 16;
            sb.append(B64[v >> 18]).append(B64[(v >> 12) & 63]).append("==");
        } else if (rest == 2) {
            int v = ((b[i] & 0xFF) << 16) | ((b[i + 1] & 0xFF) << 8);
            sb.append(B64[v >> 18]).append(B64[(v >> 12) & 63]).append(B64[(v >> 6) & 63]).append('=');
        }
        return sb.toString();
    }

    /** {@code hexEncode}: lower-case hex of the byte view. */
    static String hexEncode(String s) {
        return s.isEmpty() ? s : hex(Utf8Lenient.encode(s));
    }

    static String hex(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = Texts.HEX[(b[i] >> 4) & 0xF];
            out[2 * i + 1] = Texts.HEX[b[i] & 0xF];
        }
        return new String(out);
    }

    /**
     * {@code hexDecode}: each pair of hex digits becomes a byte (runs decoded as UTF-8 together);
     * a char that does not start a valid pair, including an odd trailing digit, stays as it is.
     */
    static String hexDecode(String s) {
        int n = s.length();
        DecodeBuffer out = new DecodeBuffer(n / 2 + 1, false);
        int i = 0;
        while (i < n) {
            int v = Texts.hex2(s, i);
            if (v >= 0) {
                out.addByte(v);
                i += 2;
            } else {
                out.addLiteral(s.charAt(i));
                i++;
            }
        }
        return Texts.orSame(s, out.result());
    }

    /**
     * {@code sqlHexDecode}: a SQL hex literal {@code 0x} followed by at least one pair of hex
     * digits becomes its bytes (pairs are taken while complete; an odd trailing digit stays).
     */
    static String sqlHexDecode(String s) {
        int n = s.length();
        int i = 0;
        DecodeBuffer out = null;
        int copied = 0;
        while (i + 3 < n) {
            char c = s.charAt(i);
            if (c == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X') && Texts.hex2(s, i + 2) >= 0) {
                if (out == null) {
                    out = new DecodeBuffer(n, false);
                }
                out.addLiteral(s, copied, i);
                int j = i + 2;
                int v;
                while ((v = Texts.hex2(s, j)) >= 0) {
                    out.addByte(v);
                    j += 2;
                }
                // Flush the literal's bytes so two adjacent literals don't merge into one sequence
                // with chars of the text between them.
                out.addLiteral(s, j, j);
                i = j;
                copied = j;
            } else {
                i++;
            }
        }
        if (out == null) {
            return s;
        }
        out.addLiteral(s, copied, n);
        return out.result();
    }

    /** {@code md5}/{@code sha1}: digest of the byte view, as a binary string (one U+00XX char per byte). */
    static String digest(String s, String algorithm) {
        try {
            byte[] d = MessageDigest.getInstance(algorithm).digest(Utf8Lenient.encode(s));
            return new String(d, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e); // mandated by the JCA spec
        }
    }

    /** {@code length}: the number of bytes of the byte view, in decimal. */
    static String length(String s) {
        String n = Integer.toString(Utf8Lenient.encodedLength(s));
        return n.equals(s) ? s : n; // "1" is its own length: the same instance, as the contract says
    }

    /**
     * {@code utf8toUnicode}: every non-ASCII UTF-16 code unit becomes {@code %uhhhh} (lower-case
     * hex). Supplementary chars become two escapes (their surrogates), which {@code urlDecodeUni}
     * reassembles; ModSecurity's 5-digit form would not round-trip.
     */
    static String utf8toUnicode(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) < 0x80) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n + 16);
        sb.append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                sb.append(c);
            } else {
                sb.append("%u").append(Texts.HEX[c >> 12]).append(Texts.HEX[(c >> 8) & 0xF])
                        .append(Texts.HEX[(c >> 4) & 0xF]).append(Texts.HEX[c & 0xF]);
            }
        }
        return sb.toString();
    }
}

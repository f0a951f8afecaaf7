package dev.bulwark.waf.match;

import dev.bulwark.waf.spi.Operator;

/**
 * {@code @validateByteRange}: the argument lists allowed byte values ({@code 1-255},
 * {@code 9,10,13,32-126}); the operator matches when the input holds a byte outside them.
 *
 * <p>Byte view of a String (shared with {@link EncodingValidators}): a char U+0000..U+00FF is
 * the byte of the same value (that is how the lenient UTF-8 decoder keeps undecodable bytes);
 * any other code point contributes the bytes of its UTF-8 encoding, and a lone surrogate the
 * three bytes of its generalized UTF-8 form (ED xx xx).
 */
final class ByteRange {

    private ByteRange() {
    }

    /** @throws IllegalArgumentException for an empty or malformed list, or values over 255 */
    static Operator operator(String argument) {
        return new Allowed(parse(argument));
    }

    /** The operator: its allowed set is readable so the engine can skip values that fit it. */
    static final class Allowed implements Operator {
        final long[] bits;

        Allowed(long[] bits) {
            this.bits = bits;
        }

        @Override
        public boolean matches(String input, dev.bulwark.waf.spi.MatchContext context) {
            return firstDisallowed(input, bits) >= 0;
        }
    }

    /** A 256-bit set of allowed byte values. */
    static long[] parse(String argument) {
        String s = argument == null ? "" : argument;
        long[] bits = new long[4];
        int n = s.length();
        int i = 0;
        int entries = 0;
        while (i <= n) {
            int end = s.indexOf(',', i);
            if (end < 0) {
                end = n;
            }
            String item = s.substring(i, end).trim();
            i = end + 1;
            if (item.isEmpty()) {
                if (end == n && entries > 0) {
                    break; // tolerate a trailing comma
                }
                throw new IllegalArgumentException(
                        "@validateByteRange: empty range in '" + s + "'");
            }
            int dash = item.indexOf('-');
            int lo = byteValue(dash < 0 ? item : item.substring(0, dash).trim(), s);
            int hi = dash < 0 ? lo : byteValue(item.substring(dash + 1).trim(), s);
            if (lo > hi) {
                throw new IllegalArgumentException(
                        "@validateByteRange: range " + item + " runs backwards in '" + s + "'");
            }
            for (int b = lo; b <= hi; b++) {
                bits[b >>> 6] |= 1L << (b & 63);
            }
            entries++;
        }
        return bits;
    }

    private static int byteValue(String t, String whole) {
        if (t.isEmpty() || t.length() > 3) {
            throw new IllegalArgumentException(
                    "@validateByteRange: invalid byte value '" + t + "' in '" + whole + "'");
        }
        int v = 0;
        for (int k = 0; k < t.length(); k++) {
            char c = t.charAt(k);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(
                        "@validateByteRange: invalid byte value '" + t + "' in '" + whole + "'");
            }
            v = v * 10 + (c - '0');
        }
        if (v > 255) {
            throw new IllegalArgumentException(
                    "@validateByteRange: byte value " + v + " over 255 in '" + whole + "'");
        }
        return v;
    }

    private static boolean allowed(long[] bits, int b) {
        return (bits[b >>> 6] & (1L << (b & 63))) != 0;
    }

    /** Index of the first char whose byte view holds a disallowed byte, or -1. */
    static int firstDisallowed(String input, long[] bits) {
        int n = input.length();
        for (int i = 0; i < n; i++) {
            char c = input.charAt(i);
            if (c <= 0xFF) {
                if (!allowed(bits, c)) {
                    return i;
                }
                continue;
            }
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < n
                    && Character.isLowSurrogate(input.charAt(i + 1))) {
                cp = Character.toCodePoint(c, input.charAt(i + 1));
            }
            boolean ok;
            if (cp < 0x800) {
                ok = allowed(bits, 0xC0 | (cp >>> 6)) && allowed(bits, 0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                ok = allowed(bits, 0xE0 | (cp >>> 12)) && allowed(bits, 0x80 | ((cp >>> 6) & 0x3F))
                        && allowed(bits, 0x80 | (cp & 0x3F));
            } else {
                ok = allowed(bits, 0xF0 | (cp >>> 18)) && allowed(bits, 0x80 | ((cp >>> 12) & 0x3F))
                        && allowed(bits, 0x80 | ((cp >>> 6) & 0x3F))
                        && allowed(bits, 0x80 | (cp & 0x3F));
            }
            if (!ok) {
                return i;
            }
            if (cp >= 0x10000) {
                i++;
            }
        }
        return -1;
    }
}

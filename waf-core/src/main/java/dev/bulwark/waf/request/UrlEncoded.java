package dev.bulwark.waf.request;

import dev.bulwark.waf.internal.Ascii;

import dev.bulwark.waf.transform.Utf8Lenient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parser for {@code application/x-www-form-urlencoded} data, used for bodies and query strings.
 *
 * <p>Pairs are separated by {@code &} only (never {@code ;}); empty pairs are skipped; a pair
 * without {@code =} has the value {@code ""}; {@code +} is a space; {@code %XX} is decoded and an
 * invalid or truncated {@code %} sequence is kept literally; the decoded bytes are read as UTF-8
 * with invalid bytes kept as U+00XX. {@code %uXXXX} is not decoded here (that is the
 * {@code urlDecodeUni} transformation's job).
 */
public final class UrlEncoded {

    private UrlEncoded() {
    }

    /**
     * Parses {@code text} into at most {@code maxArgs} arguments (later pairs are dropped; use
     * {@link #parseInto} to learn whether that happened). Null or empty text gives an empty list.
     */
    public static List<Arg> parse(String text, int maxArgs) {
        List<Arg> out = new ArrayList<>();
        parseInto(text, maxArgs, out);
        return List.copyOf(out);
    }

    /**
     * Appends the arguments of {@code text} to {@code out} while {@code out} holds fewer than
     * {@code maxArgs} entries (so one budget can cover query string and body).
     *
     * @return true when at least one pair was dropped because of {@code maxArgs}
     */
    public static boolean parseInto(String text, int maxArgs, List<Arg> out) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return parseInto(b, 0, b.length, maxArgs, out);
    }

    /** Byte-level form of {@link #parseInto(String, int, List)} used for bodies. */
    static boolean parseInto(byte[] b, int offset, int length, int maxArgs, List<Arg> out) {
        int end = offset + length;
        byte[] scratch = null;
        int start = offset;
        while (start <= end) {
            int amp = start;
            while (amp < end && b[amp] != '&') {
                amp++;
            }
            if (amp > start) {
                if (out.size() >= maxArgs) {
                    return true;
                }
                if (scratch == null) {
                    scratch = new byte[length];
                }
                int eq = start;
                while (eq < amp && b[eq] != '=') {
                    eq++;
                }
                String name = decode(b, start, eq, scratch);
                String value = eq < amp ? decode(b, eq + 1, amp, scratch) : "";
                out.add(new Arg(name, value));
            }
            start = amp + 1;
        }
        return false;
    }

    /** Percent/plus decodes {@code b[from, to)} leniently. */
    static String decode(byte[] b, int from, int to, byte[] scratch) {
        int i = from;
        while (i < to && b[i] != '+' && b[i] != '%') {
            i++;
        }
        if (i == to) {
            return Utf8Lenient.decode(b, from, to - from); // nothing to decode: no copy
        }
        int n = i - from;
        System.arraycopy(b, from, scratch, 0, n);
        while (i < to) {
            byte c = b[i];
            if (c == '+') {
                scratch[n++] = ' ';
                i++;
            } else if (c == '%' && i + 2 < to && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                scratch[n++] = (byte) ((hex(b[i + 1]) << 4) | hex(b[i + 2]));
                i += 3;
            } else {
                scratch[n++] = c;
                i++;
            }
        }
        return Utf8Lenient.decode(scratch, 0, n);
    }

    static int hex(byte c) {
        return Ascii.hexValue(c);
    }
}

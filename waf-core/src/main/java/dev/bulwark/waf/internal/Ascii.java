package dev.bulwark.waf.internal;

/**
 * ASCII-only character helpers shared by the decoders and parsers. Deliberately not
 * {@link Character#digit}: that accepts non-ASCII digits (full-width, Arabic-Indic), which a
 * decoder must not treat as hex.
 */
public final class Ascii {

    private Ascii() {
    }

    /** The value of an ASCII hex digit, or -1. */
    public static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Lower-cases ASCII letters only: Unicode case mapping could turn a foreign name into a known
     * one (U+212A KELVIN SIGN lower-cases to 'k', U+0130 to "i̇"). Returns {@code s} itself when
     * nothing changes.
     */
    public static String lower(String s) {
        int i = 0;
        while (i < s.length() && !(s.charAt(i) >= 'A' && s.charAt(i) <= 'Z')) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        char[] out = s.toCharArray();
        for (; i < out.length; i++) {
            char c = out[i];
            if (c >= 'A' && c <= 'Z') {
                out[i] = (char) (c + 32);
            }
        }
        return new String(out);
    }
}

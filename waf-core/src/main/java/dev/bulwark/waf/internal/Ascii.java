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
}

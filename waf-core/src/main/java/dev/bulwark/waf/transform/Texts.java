package dev.bulwark.waf.transform;

import dev.bulwark.waf.internal.Ascii;

/** Small char helpers shared by the transformations. Stateless. */
final class Texts {

    private Texts() {
    }

    /** Value of a hex digit, or -1. */
    static int hex(char c) {
        return Ascii.hexValue(c);
    }

    /** Value of the two hex digits at {@code s[i], s[i+1]}, or -1 if absent or not hex. */
    static int hex2(String s, int i) {
        if (i + 1 >= s.length()) {
            return -1;
        }
        int h = hex(s.charAt(i));
        int l = hex(s.charAt(i + 1));
        return h < 0 || l < 0 ? -1 : (h << 4) | l;
    }

    /** Value of the four hex digits at {@code s[i..i+3]}, or -1. */
    static int hex4(String s, int i) {
        int h = hex2(s, i);
        int l = h < 0 ? -1 : hex2(s, i + 2);
        return l < 0 ? -1 : (h << 8) | l;
    }

    /**
     * Full-width ASCII variants U+FF01..U+FF5E map to U+0021..U+007E; IIS-style "best fit"
     * back ends do the same, so {@code %uFF0F} is a slash to them.
     */
    static char foldFullWidth(char c) {
        return c >= 0xFF01 && c <= 0xFF5E ? (char) (c - 0xFEE0) : c;
    }

    /** C {@code isspace}: space, TAB, LF, VT, FF, CR. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** {@code original} itself when {@code result} has the same content (the SPI contract). */
    static String orSame(String original, CharSequence result) {
        return original.contentEquals(result) ? original : result.toString();
    }

    static final char[] HEX = "0123456789abcdef".toCharArray();
}

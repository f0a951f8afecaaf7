package dev.bulwark.waf.internal;

import java.util.Locale;

/**
 * Which kinds of characters a value holds, as bits, so that a transformation that cannot change
 * the value (URL decoding without {@code %} or {@code +}, lowercasing without upper case
 * letters) is skipped without reading the value again. Most request values are plain text
 * that nearly every decoder leaves alone, and a rule set runs dozens of chains over each.
 */
final class CharMask {

    /** The transformation may change any value: always run it. */
    static final long ALWAYS = -1L;

    static final long PERCENT = 1L;
    static final long PLUS = 1L << 1;
    static final long AMP = 1L << 2;
    static final long BACKSLASH = 1L << 3;
    static final long NUL = 1L << 4;
    static final long UPPER = 1L << 5;
    static final long LOWER = 1L << 6;
    static final long NON_ASCII = 1L << 7;
    static final long WHITESPACE = 1L << 8;
    static final long SLASH = 1L << 9;
    static final long DOT = 1L << 10;
    static final long STAR = 1L << 11;
    static final long DASH = 1L << 12;
    static final long HASH = 1L << 13;
    static final long LT = 1L << 14;
    static final long DOLLAR = 1L << 15;
    static final long CONTROL = 1L << 16;
    static final long QUOTE = 1L << 17;
    static final long CARET = 1L << 18;
    static final long COMMA_SEMICOLON = 1L << 19;

    /** The kind bits of each ASCII character. */
    private static final long[] ASCII = new long[128];

    static {
        for (char c = 0; c < 128; c++) {
            if (c >= 'a' && c <= 'z') {
                ASCII[c] = LOWER;
            } else if (c >= 'A' && c <= 'Z') {
                ASCII[c] = UPPER;
            } else if (c < '0' || c > '9') {
                ASCII[c] = symbol(c);
            }
        }
    }

    private CharMask() {
    }

    /** The kinds of characters in {@code s}. */
    static long of(String s) {
        long m = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            m |= c < 128 ? ASCII[c] : NON_ASCII;
        }
        return m;
    }

    private static long symbol(char c) {
        switch (c) {
            case '%': return PERCENT;
            case '+': return PLUS;
            case '&': return AMP;
            case '\\': return BACKSLASH;
            case 0: return NUL | CONTROL;
            case ' ': case '\t': case '\n': case '\r': case 0x0b: case '\f': return WHITESPACE;
            case '/': return SLASH;
            case '.': return DOT;
            case '*': return STAR;
            case '-': return DASH;
            case '#': return HASH;
            case '<': return LT;
            case '$': return DOLLAR;
            case '\'': case '"': return QUOTE;
            case '^': return CARET;
            case ',': case ';': return COMMA_SEMICOLON;
            default: return c < 0x20 || c == 0x7f ? CONTROL : 0;
        }
    }

    /**
     * The kinds whose every character is an allowed byte of a {@code @validateByteRange} set
     * (see {@code ByteRange} for the byte view), or 0 when the shortcut cannot be decided by
     * kinds: some character without a kind bit (a digit, most punctuation) is disallowed. A value
     * whose mask lies within the result holds no disallowed byte.
     */
    static long kindsWithin(long[] allowedBytes) {
        long unsafe = 0;
        for (int c = 0; c < 128; c++) {
            if ((allowedBytes[c >>> 6] & (1L << c)) == 0) {
                if (ASCII[c] == 0) {
                    return 0;
                }
                unsafe |= ASCII[c];
            }
        }
        // Other characters count as the UTF-8 (or single) bytes 0x80..0xFF they stand for.
        if (allowedBytes[2] != -1L || allowedBytes[3] != -1L) {
            unsafe |= NON_ASCII;
        }
        long all = 0;
        for (long k : ASCII) {
            all |= k;
        }
        return (all | NON_ASCII) & ~unsafe;
    }

    /**
     * The characters without which the built-in transformation {@code name} returns its input
     * unchanged, or {@link #ALWAYS}. Conservative: when in doubt, always run.
     */
    static long triggers(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "urldecode": case "urldecodeuni": case "urldecoderecursive":
                return PERCENT | PLUS;
            case "htmlentitydecode":
                return AMP;
            case "jsdecode": case "cssdecode": case "escapeseqdecode":
                return BACKSLASH;
            case "lowercase":
                return UPPER | NON_ASCII;
            case "uppercase":
                return LOWER | NON_ASCII;
            case "removenulls": case "replacenulls":
                return NUL;
            case "compresswhitespace": case "removewhitespace": case "trim": case "trimleft": case "trimright":
                return WHITESPACE | CONTROL | NON_ASCII;
            case "normalizepath": case "normalisepath": case "normalizepathwin": case "normalisepathwin":
                return SLASH | DOT | BACKSLASH;
            case "removecomments": case "removecommentschar": case "replacecomments":
                return SLASH | STAR | DASH | HASH | LT;
            case "cmdline":
                // A single space between words survives; '/' and '(' only change after a space.
                return BACKSLASH | QUOTE | CARET | COMMA_SEMICOLON | WHITESPACE | UPPER | NON_ASCII;
            case "log4jlookupdecode":
                return DOLLAR;
            case "utf8tounicode":
                return NON_ASCII;
            default:
                return ALWAYS;
        }
    }
}

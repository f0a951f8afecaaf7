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
    // Kinds that only rule patterns out (see kindOf): the characters signatures hinge on.
    static final long LINE_BREAK = 1L << 20;
    static final long EQUALS = 1L << 21;
    static final long PAREN = 1L << 22;
    static final long BRACE = 1L << 23;
    static final long BRACKET = 1L << 24;
    static final long COLON = 1L << 25;
    static final long PIPE = 1L << 26;
    static final long BACKTICK = 1L << 27;
    static final long GT = 1L << 28;
    static final long QUESTION = 1L << 29;
    static final long AT = 1L << 30;
    static final long EXCLAMATION = 1L << 31;
    static final long TILDE = 1L << 32;

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

    /**
     * The most specific kind bit {@link #of} records for one character (several characters may
     * share one; a line break also counts as whitespace, NUL as a control character), or 0 for
     * characters without a kind (digits and some punctuation).
     */
    static long kindOf(char c) {
        if (c >= 128) {
            return NON_ASCII;
        }
        long k = ASCII[c];
        return (k & LINE_BREAK) != 0 ? LINE_BREAK : (k & NUL) != 0 ? NUL : k;
    }

    /**
     * Kind clauses for a pattern's required character sets: a value can only match when its
     * mask meets every clause. A set with a character that has no kind cannot be decided from
     * masks and is left out; null when no clause remains.
     */
    static long[] clauses(java.util.List<String> requiredSets) {
        long[] out = new long[requiredSets.size()];
        int n = 0;
        for (String set : requiredSets) {
            long clause = 0;
            for (int i = 0; i < set.length(); i++) {
                long k = kindOf(set.charAt(i));
                if (k == 0) {
                    clause = 0;
                    break;
                }
                clause |= k;
            }
            if (clause != 0) {
                out[n++] = clause;
            }
        }
        return n == 0 ? null : java.util.Arrays.copyOf(out, n);
    }

    /** The result's kinds must be computed from the result. */
    static final byte KEEP_NONE = 0;
    /** A substring of the input ({@code trim*}): the input's kinds, and its scan, are supersets. */
    static final byte KEEP_SUBSTRING = 1;
    /** {@code lowercase} of ASCII input: upper-case letters become lower-case ones. */
    static final byte KEEP_LOWERED = 2;
    /** {@code removeWhitespace}: the input's kinds without whitespace (a superset otherwise). */
    static final byte KEEP_WITHOUT_WHITESPACE = 3;
    /** {@code removeNulls}: chars dropped anywhere, so the input's kinds are a superset. */
    static final byte KEEP_FEWER = 4;

    /** The transfer code of the built-in transformation {@code name} (see {@link #transfer}). */
    static byte transferOf(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "trim": case "trimleft": case "trimright":
                return KEEP_SUBSTRING;
            case "removenulls":
                return KEEP_FEWER;
            case "lowercase":
                return KEEP_LOWERED;
            case "removewhitespace":
                return KEEP_WITHOUT_WHITESPACE;
            default:
                return KEEP_NONE;
        }
    }

    /**
     * The kinds of a step's result from the kinds of its input, or -1 when they must be
     * computed. Never misses a kind the result has (extra kinds only make later shortcuts
     * less frequent). {@code NON_ASCII} stays exact for ASCII input, which is all the engine
     * needs it to be exact for.
     */
    static long transfer(byte code, long in) {
        switch (code) {
            case KEEP_SUBSTRING:
            case KEEP_FEWER:
                return in;
            case KEEP_LOWERED:
                return (in & NON_ASCII) != 0 ? -1 : (in & UPPER) != 0 ? (in & ~UPPER) | LOWER : in;
            case KEEP_WITHOUT_WHITESPACE:
                return in & ~(WHITESPACE | LINE_BREAK); // C isspace and NBSP go; NBSP is non-ASCII
            default:
                return -1;
        }
    }

    /** Whether {@code mask} meets every clause of {@link #clauses}. */
    static boolean meets(long mask, long[] clauses) {
        for (long c : clauses) {
            if ((mask & c) == 0) {
                return false;
            }
        }
        return true;
    }

    private static long symbol(char c) {
        switch (c) {
            case '%': return PERCENT;
            case '+': return PLUS;
            case '&': return AMP;
            case '\\': return BACKSLASH;
            case 0: return NUL | CONTROL;
            case '\n': case '\r': return WHITESPACE | LINE_BREAK;
            case ' ': case '\t': case 0x0b: case '\f': return WHITESPACE;
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
            case '=': return EQUALS;
            case '(': case ')': return PAREN;
            case '{': case '}': return BRACE;
            case '[': case ']': return BRACKET;
            case ':': return COLON;
            case '|': return PIPE;
            case '`': return BACKTICK;
            case '>': return GT;
            case '?': return QUESTION;
            case '@': return AT;
            case '!': return EXCLAMATION;
            case '~': return TILDE;
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
            case "utf8tounicode": case "unicodenormalize":
                return NON_ASCII;
            default:
                return ALWAYS;
        }
    }
}

package dev.bulwark.waf.transform;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code htmlEntityDecode}: numeric references ({@code &#60;}, {@code &#x3C;}, {@code &#X3c},
 * any number of leading zeros, {@code ;} optional as browsers accept) and named references. Named
 * references need their {@code ;} except the legacy ones browsers also accept bare ({@code amp,
 * lt, gt, quot, nbsp, apos}, matched case-insensitively as ModSecurity does). Invalid or unknown
 * references, and numeric ones beyond U+10FFFF, stay as they are. Single pass: {@code &amp;lt;}
 * becomes {@code &lt;}. Stateless.
 */
final class HtmlEntities {

    /** Longest entity name we look up; longer alphanumeric runs are not entities. */
    private static final int MAX_NAME = 32;

    private static final Map<String, String> NAMED = new HashMap<>();
    private static final Map<String, String> LEGACY = new HashMap<>();

    static {
        legacy("amp", "&");
        legacy("lt", "<");
        legacy("gt", ">");
        legacy("quot", "\"");
        legacy("nbsp", "\u00A0");
        legacy("apos", "'");
        // HTML5 names for ASCII punctuation: the ones XSS payloads use to hide syntax.
        String[][] ascii = {
            {"Tab", "\t"}, {"NewLine", "\n"}, {"excl", "!"}, {"QUOT", "\""}, {"num", "#"},
            {"dollar", "$"}, {"percnt", "%"}, {"AMP", "&"}, {"lpar", "("}, {"rpar", ")"},
            {"ast", "*"}, {"midast", "*"}, {"plus", "+"}, {"comma", ","}, {"period", "."},
            {"sol", "/"}, {"colon", ":"}, {"semi", ";"}, {"LT", "<"}, {"equals", "="},
            {"GT", ">"}, {"quest", "?"}, {"commat", "@"}, {"lsqb", "["}, {"lbrack", "["},
            {"bsol", "\\"}, {"rsqb", "]"}, {"rbrack", "]"}, {"Hat", "^"}, {"lowbar", "_"},
            {"UnderBar", "_"}, {"grave", "`"}, {"DiacriticalGrave", "`"}, {"lcub", "{"},
            {"lbrace", "{"}, {"verbar", "|"}, {"vert", "|"}, {"VerticalLine", "|"},
            {"rcub", "}"}, {"rbrace", "}"}, {"NonBreakingSpace", "\u00A0"},
            {"hyphen", "\u2010"}, {"dash", "\u2010"}, {"ndash", "\u2013"}, {"mdash", "\u2014"},
            {"lsquo", "\u2018"}, {"rsquo", "\u2019"}, {"ldquo", "\u201C"}, {"rdquo", "\u201D"},
            {"laquo", "\u00AB"}, {"raquo", "\u00BB"}, {"lsaquo", "\u2039"}, {"rsaquo", "\u203A"},
            {"copy", "\u00A9"}, {"reg", "\u00AE"}, {"trade", "\u2122"}, {"shy", "\u00AD"},
            {"iexcl", "\u00A1"}, {"cent", "\u00A2"}, {"pound", "\u00A3"}, {"curren", "\u00A4"},
            {"yen", "\u00A5"}, {"euro", "\u20AC"}, {"sect", "\u00A7"}, {"deg", "\u00B0"},
            {"plusmn", "\u00B1"}, {"times", "\u00D7"}, {"divide", "\u00F7"}, {"middot", "\u00B7"},
            {"para", "\u00B6"}, {"hellip", "\u2026"}, {"bull", "\u2022"}, {"zwj", "\u200D"},
            {"zwnj", "\u200C"}, {"lrm", "\u200E"}, {"rlm", "\u200F"}, {"ensp", "\u2002"},
            {"emsp", "\u2003"}, {"thinsp", "\u2009"}, {"ZeroWidthSpace", "\u200B"},
            {"NoBreak", "\u2060"}, {"circ", "\u02C6"}, {"tilde", "\u02DC"},
        };
        for (String[] e : ascii) {
            NAMED.put(e[0], e[1]);
        }
        // Latin-1 letters, so that &eacute; and friends decode like the numeric forms.
        String[] latin1 = {
            "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil",
            "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
            "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", null,
            "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
        };
        for (int k = 0; k < latin1.length; k++) {
            if (latin1[k] != null) {
                NAMED.put(latin1[k], String.valueOf((char) (0xC0 + k)));
                if (k != 31) { // szlig has no upper-case twin at 0xFF
                    NAMED.put(lowerFirst(latin1[k]), String.valueOf((char) (0xE0 + k)));
                }
            }
        }
        NAMED.put("yuml", "\u00FF");
    }

    private static void legacy(String name, String value) {
        LEGACY.put(name, value);
        NAMED.put(name, value);
    }

    private static String lowerFirst(String s) {
        // AElig -> aelig, ETH -> eth, THORN -> thorn: HTML lower-cases the whole name.
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    private HtmlEntities() {
    }

    static String decode(String s) {
        int first = s.indexOf('&');
        if (first < 0) {
            return s;
        }
        int n = s.length();
        StringBuilder sb = null; // created at the first reference that decodes
        StringBuilder ref = new StringBuilder(8);
        int copied = 0; // s[0, copied) is in sb
        for (int i = first; i >= 0; i = s.indexOf('&', i)) {
            ref.setLength(0);
            int next = decodeAt(s, i, ref);
            if (next > i) {
                if (sb == null) {
                    sb = new StringBuilder(n);
                }
                sb.append(s, copied, i).append(ref); // the text between references in one copy
                copied = next;
                i = next;
            } else {
                i++;
            }
        }
        return sb == null ? s : sb.append(s, copied, n).toString();
    }

    /**
     * Decodes the one reference at {@code amp} (an {@code &}) into {@code out}; returns the
     * index after it, or {@code amp} when there is none (and {@code out} is unchanged).
     */
    static int decodeAt(String s, int amp, StringBuilder out) {
        return amp + 1 < s.length() && s.charAt(amp + 1) == '#' ? numeric(s, amp, out) : named(s, amp, out);
    }

    /** Decodes {@code &#...} at {@code amp}; returns the index after it, or {@code amp} if invalid. */
    private static int numeric(String s, int amp, StringBuilder sb) {
        int n = s.length();
        int j = amp + 2;
        boolean hex = j < n && (s.charAt(j) == 'x' || s.charAt(j) == 'X');
        if (hex) {
            j++;
        }
        int start = j;
        long value = 0;
        while (j < n) {
            int d = hex ? Texts.hex(s.charAt(j)) : decimal(s.charAt(j));
            if (d < 0) {
                break;
            }
            if (value <= 0x10FFFF) { // stop growing once out of range; keep scanning digits
                value = value * (hex ? 16 : 10) + d;
            }
            j++;
        }
        if (j == start || value > 0x10FFFF) {
            return amp;
        }
        if (j < n && s.charAt(j) == ';') {
            j++;
        }
        sb.appendCodePoint((int) value);
        return j;
    }

    private static int decimal(char c) {
        return c >= '0' && c <= '9' ? c - '0' : -1;
    }

    /** Decodes a named reference at {@code amp}; returns the index after it, or {@code amp}. */
    private static int named(String s, int amp, StringBuilder sb) {
        int n = s.length();
        int j = amp + 1;
        while (j < n && j - amp - 1 <= MAX_NAME && isAlnum(s.charAt(j))) {
            j++;
        }
        int len = j - amp - 1;
        if (len == 0 || len > MAX_NAME) {
            return amp;
        }
        String name = s.substring(amp + 1, j);
        boolean semi = j < n && s.charAt(j) == ';';
        String v = semi ? NAMED.get(name) : null;
        if (v == null) {
            v = LEGACY.get(name.toLowerCase(java.util.Locale.ROOT));
        }
        if (v == null) {
            return amp;
        }
        sb.append(v);
        return semi ? j + 1 : j;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}

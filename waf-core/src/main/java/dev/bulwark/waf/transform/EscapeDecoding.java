package dev.bulwark.waf.transform;

/**
 * Backslash-escape decoders: {@code jsDecode}, {@code cssDecode}, {@code escapeSeqDecode}.
 * Common policy: a well-formed escape is decoded; a backslash followed by {@code x}/{@code u}
 * that does not form a complete escape is left as it is; any other escaped char stands for
 * itself (identity escape, as in JavaScript and as ModSecurity does). A trailing lone backslash
 * is kept. Stateless.
 */
final class EscapeDecoding {

    private EscapeDecoding() {
    }

    /**
     * JavaScript: {@code \xHH}, <code>&#92;uHHHH</code> (full-width ASCII folded, as ModSecurity does),
     * <code>&#92;u{H...}</code> up to U+10FFFF, octal {@code \0}..{@code \377}, {@code \b \f \n \r \t \v}.
     * {@code \x} and <code>&#92;u</code> denote code units, not bytes.
     */
    static String js(String s) {
        int first = s.indexOf('\\');
        if (first < 0) {
            return s;
        }
        int n = s.length();
        StringBuilder sb = new StringBuilder(n);
        sb.append(s, 0, first);
        int i = first;
        while (i < n) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                sb.append(c);
                i++;
                continue;
            }
            char e = s.charAt(i + 1);
            if (e == 'x') {
                int v = Texts.hex2(s, i + 2);
                if (v >= 0) {
                    sb.append((char) v);
                    i += 4;
                } else {
                    sb.append(c);
                    i++;
                }
            } else if (e == 'u') {
                int v = Texts.hex4(s, i + 2);
                if (v >= 0) {
                    sb.append(Texts.foldFullWidth((char) v));
                    i += 6;
                } else if (i + 2 < n && s.charAt(i + 2) == '{') {
                    i = braced(s, i, sb);
                } else {
                    sb.append(c);
                    i++;
                }
            } else if (e >= '0' && e <= '7') {
                i = octal(s, i + 1, sb, null);
            } else {
                sb.append(simpleEscape(e, false));
                i += 2;
            }
        }
        return Texts.orSame(s, sb);
    }

    /** <code>&#92;u{H..}</code> at {@code bs}; returns the next index (consuming only the backslash if invalid). */
    private static int braced(String s, int bs, StringBuilder sb) {
        int n = s.length();
        int j = bs + 3;
        long v = 0;
        int start = j;
        while (j < n && Texts.hex(s.charAt(j)) >= 0) {
            if (v <= 0x10FFFF) {
                v = v * 16 + Texts.hex(s.charAt(j));
            }
            j++;
        }
        if (j == start || j >= n || s.charAt(j) != '}' || v > 0x10FFFF) {
            sb.append('\\');
            return bs + 1;
        }
        if (v <= 0xFFFF) {
            sb.append(Texts.foldFullWidth((char) v));
        } else {
            sb.appendCodePoint((int) v);
        }
        return j + 1;
    }

    /**
     * Octal escape whose first digit is at {@code at}: up to three digits if the first is 0-3
     * (so the value stays within 0..255), else up to two. Appends a char to {@code sb} or a byte
     * to {@code bytes}; returns the next index.
     */
    private static int octal(String s, int at, StringBuilder sb, DecodeBuffer bytes) {
        int n = s.length();
        int max = s.charAt(at) <= '3' ? 3 : 2;
        int v = 0;
        int j = at;
        while (j < n && j - at < max && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
            v = v * 8 + (s.charAt(j) - '0');
            j++;
        }
        if (bytes != null) {
            bytes.addByte(v);
        } else {
            sb.append((char) v);
        }
        return j;
    }

    private static char simpleEscape(char e, boolean c) {
        switch (e) {
            case 'a': return c ? '\u0007' : 'a';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'v': return '\u000B';
            default: return e; // identity escape: \\ \' \" \? \/ and anything else
        }
    }

    /**
     * ANSI C escape sequences: {@code \a \b \f \n \r \t \v \\ \? \' \"}, {@code \xHH} (exactly two
     * hex digits) and octal {@code \o}..{@code \377}. Escapes denote bytes, so runs of them are
     * decoded as UTF-8 together ({@code \xc3\xa9} is {@code é}).
     */
    static String escapeSeq(String s) {
        int first = s.indexOf('\\');
        if (first < 0) {
            return s;
        }
        int n = s.length();
        DecodeBuffer out = new DecodeBuffer(n, false);
        out.addLiteral(s, 0, first);
        int i = first;
        while (i < n) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                out.addLiteral(c);
                i++;
                continue;
            }
            char e = s.charAt(i + 1);
            if (e == 'x' || e == 'X') {
                int v = Texts.hex2(s, i + 2);
                if (v >= 0) {
                    out.addByte(v);
                    i += 4;
                } else {
                    out.addLiteral(c);
                    i++;
                }
            } else if (e >= '0' && e <= '7') {
                i = octal(s, i + 1, null, out);
            } else {
                char d = simpleEscape(e, true);
                if (d < 0x80) {
                    out.addDecoded(d);
                } else {
                    out.addLiteral(d); // a non-ASCII char after '\' is text, not a byte
                }
                i += 2;
            }
        }
        return Texts.orSame(s, out.result());
    }

    /**
     * CSS 2.1: backslash + 1..6 hex digits is a code point (one following whitespace, CRLF
     * counting as one, is swallowed; 0, surrogates and values above U+10FFFF become U+FFFD as CSS
     * specifies; full-width ASCII folded like ModSecurity); backslash + newline is a line
     * continuation and vanishes; backslash + other char is that char.
     */
    static String css(String s) {
        int first = s.indexOf('\\');
        if (first < 0) {
            return s;
        }
        int n = s.length();
        StringBuilder sb = new StringBuilder(n);
        sb.append(s, 0, first);
        int i = first;
        while (i < n) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                sb.append(c);
                i++;
                continue;
            }
            int j = i + 1;
            int v = 0;
            while (j < n && j - i <= 6 && Texts.hex(s.charAt(j)) >= 0) {
                v = v * 16 + Texts.hex(s.charAt(j));
                j++;
            }
            if (j > i + 1) {
                if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
                    sb.append('\uFFFD');
                } else if (v <= 0xFFFF) {
                    sb.append(Texts.foldFullWidth((char) v));
                } else {
                    sb.appendCodePoint(v);
                }
                if (j < n && s.charAt(j) == '\r' && j + 1 < n && s.charAt(j + 1) == '\n') {
                    j += 2;
                } else if (j < n && (s.charAt(j) == ' ' || s.charAt(j) == '\t' || s.charAt(j) == '\n'
                        || s.charAt(j) == '\r' || s.charAt(j) == '\f')) {
                    j++;
                }
                i = j;
                continue;
            }
            char e = s.charAt(i + 1);
            if (e == '\r' && i + 2 < n && s.charAt(i + 2) == '\n') {
                i += 3;
            } else if (e == '\n' || e == '\r' || e == '\f') {
                i += 2;
            } else {
                sb.append(e);
                i += 2;
            }
        }
        return Texts.orSame(s, sb);
    }
}

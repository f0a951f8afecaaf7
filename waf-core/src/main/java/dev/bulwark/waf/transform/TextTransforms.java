package dev.bulwark.waf.transform;

import java.util.Locale;

/** Character-level transformations: case, whitespace, NULs, comments, {@code cmdLine}, trims. Stateless. */
final class TextTransforms {

    private static final char NBSP = '\u00A0';

    private TextTransforms() {
    }

    /** Full Unicode case mapping, locale-independent (so the Kelvin sign K becomes {@code k}). */
    static String lowercase(String s) {
        return sameIfEqual(s, s.toLowerCase(Locale.ROOT));
    }

    static String uppercase(String s) {
        return sameIfEqual(s, s.toUpperCase(Locale.ROOT));
    }

    /**
     * The JDK's case mapping returns a copy for some unchanged values (e.g. with a lone
     * surrogate); the Transformation contract wants the input itself then.
     */
    private static String sameIfEqual(String in, String out) {
        return out != in && out.equals(in) ? in : out;
    }

    /** C {@code isspace} plus NBSP, the set ModSecurity's whitespace transformations use. */
    private static boolean isWs(char c) {
        return Texts.isSpace(c) || c == NBSP;
    }

    /** Each run of whitespace (C {@code isspace} or NBSP) becomes one space. */
    static String compressWhitespace(String s) {
        return singleSpacesOnly(s) ? s : compressWhitespaceFull(s);
    }

    /** {@link #compressWhitespace} without its shortcut; for the tests that hold the two equal. */
    static String compressWhitespaceFull(String s) {
        int n = s.length();
        StringBuilder sb = new StringBuilder(n);
        boolean inWs = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (isWs(c)) {
                if (!inWs) {
                    sb.append(' ');
                    inWs = true;
                }
            } else {
                sb.append(c);
                inWs = false;
            }
        }
        return Texts.orSame(s, sb);
    }

    /** Whether every whitespace char is a plain space with no whitespace right before it. */
    private static boolean singleSpacesOnly(String s) {
        boolean prevWs = false;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            boolean ws = isWs(c);
            if (ws && (c != ' ' || prevWs)) {
                return false;
            }
            prevWs = ws;
        }
        return true;
    }

    /** Removes all whitespace (C {@code isspace} or NBSP). */
    static String removeWhitespace(String s) {
        return removeIf(s, true);
    }

    static String removeNulls(String s) {
        return removeIf(s, false);
    }

    private static String removeIf(String s, boolean whitespace) {
        int n = s.length();
        int first = 0;
        while (first < n && !(whitespace ? isWs(s.charAt(first)) : s.charAt(first) == '\0')) {
            first++;
        }
        if (first == n) {
            return s;
        }
        // Compact a bulk copy in place: no per-char builder calls.
        char[] chars = new char[n];
        s.getChars(first, n, chars, first);
        s.getChars(0, first, chars, 0);
        int k = first;
        for (int i = first + 1; i < n; i++) {
            char c = chars[i];
            if (!(whitespace ? isWs(c) : c == '\0')) {
                chars[k++] = c;
            }
        }
        return new String(chars, 0, k);
    }

    static String replaceNulls(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', ' ');
    }

    /**
     * {@code removeComments}: deletes C comments {@code /* ... *}{@code /} and HTML comments
     * {@code <!-- ... -->} (an unterminated one runs to the end), and SQL/shell line comments
     * starting at {@code --} or {@code #} up to, not including, the next LF. Ending line comments
     * at the newline (ModSecurity drops the whole rest) keeps later SQL lines visible to rules.
     */
    static String removeComments(String s) {
        int n = s.length();
        StringBuilder sb = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && at(s, i + 1, '*')) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '<' && s.startsWith("<!--", i)) {
                int end = s.indexOf("-->", i + 4);
                i = end < 0 ? n : end + 3;
            } else if ((c == '-' && at(s, i + 1, '-')) || c == '#') {
                int end = s.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else {
                sb.append(c);
                i++;
            }
        }
        return Texts.orSame(s, sb);
    }

    /** {@code removeCommentsChar}: deletes the comment markers {@code /* *}{@code / <!-- --> -- #} themselves. */
    static String removeCommentsChar(String s) {
        int n = s.length();
        StringBuilder sb = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && at(s, i + 1, '*')) {
                i += 2;
            } else if (c == '*' && at(s, i + 1, '/')) {
                i += 2;
            } else if (c == '<' && s.startsWith("<!--", i)) {
                i += 4;
            } else if (c == '-' && s.startsWith("-->", i)) {
                i += 3;
            } else if (c == '-' && at(s, i + 1, '-')) {
                i += 2;
            } else if (c == '#') {
                i++;
            } else {
                sb.append(c);
                i++;
            }
        }
        return Texts.orSame(s, sb);
    }

    /** {@code replaceComments}: each C comment, terminated or not, becomes a single space. */
    static String replaceComments(String s) {
        int first = s.indexOf("/*");
        if (first < 0) {
            return s;
        }
        int n = s.length();
        StringBuilder sb = new StringBuilder(n);
        int i = 0;
        while (first >= 0) {
            sb.append(s, i, first).append(' ');
            int end = s.indexOf("*/", first + 2);
            i = end < 0 ? n : end + 2;
            first = i < n ? s.indexOf("/*", i) : -1;
        }
        sb.append(s, i, n);
        return sb.toString();
    }

    private static boolean at(String s, int i, char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    /**
     * {@code cmdLine} (ModSecurity semantics): deletes {@code \ " ' ^}; turns each run of space,
     * TAB, CR, LF, {@code ,} and {@code ;} into one space; deletes a space right before {@code /}
     * or {@code (}; lower-cases everything else.
     */
    static String cmdLine(String s) {
        int kind = cmdLineKind(s);
        return kind == CMD_SAME ? s : kind == CMD_CASE ? lowerCharByChar(s) : cmdLineFull(s);
    }

    /** {@link #cmdLine} without its shortcut; for the tests that hold the two equal. */
    static String cmdLineFull(String s) {
        int n = s.length();
        StringBuilder sb = new StringBuilder(n);
        boolean space = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"', '\'', '\\', '^' -> {
                    // deleted; does not end a whitespace run (as in ModSecurity)
                }
                case ' ', ',', ';', '\t', '\r', '\n' -> {
                    if (!space) {
                        sb.append(' ');
                        space = true;
                    }
                }
                case '/', '(' -> {
                    if (space) {
                        sb.setLength(sb.length() - 1);
                    }
                    space = false;
                    sb.append(c);
                }
                default -> {
                    sb.append(Character.toLowerCase(c));
                    space = false;
                }
            }
        }
        return Texts.orSame(s, sb);
    }

    private static final int CMD_SAME = 0;
    private static final int CMD_CASE = 1;
    private static final int CMD_FULL = 2;
    /** Per ASCII char: 1 deleted or turned into a space by cmdLine, 2 a space, 3 '/' or '(', 4 upper case. */
    private static final byte[] CMD_CLASS = new byte[128];

    static {
        for (char c : "\"'\\^,;\t\r\n".toCharArray()) {
            CMD_CLASS[c] = 1;
        }
        CMD_CLASS[' '] = 2;
        CMD_CLASS['/'] = 3;
        CMD_CLASS['('] = 3;
        for (char c = 'A'; c <= 'Z'; c++) {
            CMD_CLASS[c] = 4;
        }
    }

    /**
     * What {@link #cmdLine} would do, in one pass: nothing ({@code CMD_SAME}); change letter case
     * only ({@code CMD_CASE}: no char it deletes or turns into a space, no space it would merge
     * or drop before '/' or '('); or more ({@code CMD_FULL}).
     */
    private static int cmdLineKind(String s) {
        int n = s.length();
        boolean prevSpace = false;
        boolean upper = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 128) {
                upper = true; // may have a lower case; lowerCharByChar decides
                prevSpace = false;
                continue;
            }
            int cls = CMD_CLASS[c];
            if (cls == 0) { // most chars: letters, digits, common punctuation
                prevSpace = false;
                continue;
            }
            switch (cls) {
                case 1:
                    return CMD_FULL;
                case 2:
                    if (prevSpace) {
                        return CMD_FULL;
                    }
                    prevSpace = true;
                    continue;
                case 3:
                    if (prevSpace) {
                        return CMD_FULL;
                    }
                    break;
                case 4:
                    upper = true;
                    break;
                default:
                    break;
            }
            prevSpace = false;
        }
        return upper ? CMD_CASE : CMD_SAME;
    }

    /** Lower case char by char, as {@link #cmdLine} does; the same instance when nothing changes. */
    private static String lowerCharByChar(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && Character.toLowerCase(s.charAt(i)) == s.charAt(i)) {
            i++;
        }
        if (i == n) {
            return s;
        }
        char[] out = s.toCharArray();
        for (; i < n; i++) {
            out[i] = Character.toLowerCase(out[i]);
        }
        return new String(out);
    }

    /** Trims C {@code isspace} chars from the left and/or right. */
    static String trim(String s, boolean left, boolean right) {
        int a = 0;
        int b = s.length();
        if (left) {
            while (a < b && Texts.isSpace(s.charAt(a))) {
                a++;
            }
        }
        if (right) {
            while (b > a && Texts.isSpace(s.charAt(b - 1))) {
                b--;
            }
        }
        return s.substring(a, b);
    }
}

package dev.bulwark.waf.match.dfa;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses RE2 syntax as RE2J 1.8 accepts it, with the engine's flags ({@code (?s)} and
 * {@code (?m)} on), into a {@link Node} tree. The parser only has to agree with RE2J on patterns
 * RE2J accepts (the engine compiles with RE2J first); anything it does not model exactly
 * (Unicode classes {@code \p}, {@code \C}, back-reference-like syntax, ...) throws
 * {@link UnsupportedRegexException}, which makes the pattern run in RE2J alone.
 */
final class Parser {

    private static final int FOLD = 1;
    private static final int DOT_NL = 2;
    private static final int MULTI_LINE = 4;
    private static final int MAX_DEPTH = 500;
    private static final int MAX_REPEAT = 1000;

    private static final CharSet DIGIT = CharSet.range('0', '9');
    private static final CharSet SPACE = new CharSet.Builder().add('\t', '\n').add('\f', '\r').add(' ').build();
    private static final CharSet WORD = new CharSet.Builder().add('0', '9').add('A', 'Z').add('a', 'z').add('_').build();

    /** Literal sets of the ASCII characters, plain and case-folded (patterns are mostly ASCII). */
    private static final CharSet[] ASCII = new CharSet[128];
    private static final CharSet[] ASCII_FOLDED = new CharSet[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = CharSet.of(c);
            ASCII_FOLDED[c] = ASCII[c].fold();
        }
    }

    private final String re;
    private int pos;
    private int flags = DOT_NL | MULTI_LINE;
    private int depth;

    private Parser(String re) {
        this.re = re;
    }

    static Node parse(String regex) {
        Parser p = new Parser(regex);
        Node n = p.parseAlternation();
        if (p.pos < regex.length()) {
            throw new UnsupportedRegexException("unbalanced ')'");
        }
        return n;
    }

    /** Alternation up to an unconsumed ')' or the end. {@code (?flags)} persist across '|'. */
    private Node parseAlternation() {
        if (++depth > MAX_DEPTH) {
            throw new UnsupportedRegexException("nesting too deep");
        }
        List<Node> branches = new ArrayList<>();
        List<Node> items = new ArrayList<>();
        boolean canRepeat = false;
        boolean lastWasRepeat = false;
        while (pos < re.length()) {
            int c = re.codePointAt(pos);
            if (c == ')') {
                break;
            }
            if (c == '|') {
                pos++;
                branches.add(Node.concat(items));
                items = new ArrayList<>();
                canRepeat = false;
                lastWasRepeat = false;
                continue;
            }
            if (re.startsWith("\\Q", pos)) {
                // \Q...\E: literal text up to \E or the end; a following repetition applies to
                // its last character only, so each character is its own item.
                int end = re.indexOf("\\E", pos + 2);
                String lit = re.substring(pos + 2, end < 0 ? re.length() : end);
                pos = end < 0 ? re.length() : end + 2;
                lastWasRepeat = false;
                for (int i = 0; i < lit.length(); ) {
                    int cp = lit.codePointAt(i);
                    items.add(literal(cp));
                    canRepeat = true;
                    i += Character.charCount(cp);
                }
                continue;
            }
            int[] rep = repeatOperator();
            if (rep != null) {
                if (!canRepeat) {
                    throw new UnsupportedRegexException("missing argument to repetition operator");
                }
                if (lastWasRepeat) {
                    throw new UnsupportedRegexException("nested repetition operator"); // as RE2J
                }
                lastWasRepeat = true;
                Node last = items.remove(items.size() - 1);
                items.add(Node.repeat(last, rep[0], rep[1]));
                continue;
            }
            lastWasRepeat = false;
            Node atom = parseAtom();
            if (atom == null) {
                canRepeat = false; // a flag group (?i): nothing to repeat
                continue;
            }
            items.add(atom);
            canRepeat = true;
        }
        branches.add(Node.concat(items));
        depth--;
        return Node.alt(branches);
    }

    /**
     * Consumes {@code * + ? {n} {n,} {n,m}} (each optionally followed by the non-greedy '?') and
     * returns {min, max} (max -1 = unbounded), or null when the next token is not a repetition.
     */
    private int[] repeatOperator() {
        char c = re.charAt(pos);
        int[] r;
        if (c == '*') {
            r = new int[] {0, -1};
            pos++;
        } else if (c == '+') {
            r = new int[] {1, -1};
            pos++;
        } else if (c == '?') {
            r = new int[] {0, 1};
            pos++;
        } else if (c == '{') {
            r = countedRepeat();
            if (r == null) {
                return null; // not a valid {n,m}: '{' is a literal
            }
        } else {
            return null;
        }
        if (pos < re.length() && re.charAt(pos) == '?') {
            pos++; // non-greedy: irrelevant for a yes/no answer
        }
        return r;
    }

    private int[] countedRepeat() {
        int p = pos + 1;
        int start = p;
        while (p < re.length() && isDigit(re.charAt(p))) {
            p++;
        }
        if (p == start || !validInt(start, p)) {
            return null;
        }
        int min = parseInt(start, p);
        int max = min;
        if (p < re.length() && re.charAt(p) == ',') {
            p++;
            int s2 = p;
            while (p < re.length() && isDigit(re.charAt(p))) {
                p++;
            }
            if (p == s2) {
                max = -1;
            } else {
                if (!validInt(s2, p)) {
                    return null;
                }
                max = parseInt(s2, p);
            }
        }
        if (p >= re.length() || re.charAt(p) != '}') {
            return null;
        }
        if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
            throw new UnsupportedRegexException("bad repeat count");
        }
        pos = p + 1;
        return new int[] {min, max};
    }

    /** RE2 refuses leading zeros ("{01}" is literal text) and numbers past 8 digits. */
    private boolean validInt(int from, int to) {
        return !(to - from >= 2 && re.charAt(from) == '0') && to - from <= 8;
    }

    private int parseInt(int from, int to) {
        return Integer.parseInt(re.substring(from, to));
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** One atom, or null for a {@code (?flags)} group that only changes the flags. */
    private Node parseAtom() {
        int c = re.codePointAt(pos);
        switch (c) {
            case '(':
                return parseGroup();
            case '[':
                return Node.chars(parseClass());
            case '.':
                pos++;
                return Node.chars((flags & DOT_NL) != 0 ? CharSet.ANY : CharSet.ANY_BUT_NL);
            case '^':
                pos++;
                return Node.assertion((flags & MULTI_LINE) != 0 ? Node.BEGIN_LINE : Node.BEGIN_TEXT);
            case '$':
                pos++;
                return Node.assertion((flags & MULTI_LINE) != 0 ? Node.END_LINE : Node.END_TEXT);
            case '\\':
                return parseBackslash();
            default:
                pos += Character.charCount(c);
                return literal(c);
        }
    }

    private Node literal(int c) {
        if (c < 128) {
            return Node.chars(((flags & FOLD) != 0 ? ASCII_FOLDED : ASCII)[c]);
        }
        if ((flags & FOLD) != 0) {
            int[] orbit = CaseFold.orbit(c);
            if (orbit.length > 1) {
                CharSet.Builder b = new CharSet.Builder();
                for (int m : orbit) {
                    b.add(m);
                }
                return Node.chars(b.build());
            }
        }
        return Node.chars(CharSet.of(c));
    }

    private Node parseGroup() {
        pos++; // '('
        int saved = flags;
        if (pos < re.length() && re.charAt(pos) == '?') {
            if (re.startsWith("?P<", pos) || re.startsWith("?<", pos) && !re.startsWith("?<=", pos)
                    && !re.startsWith("?<!", pos)) {
                int nameStart = re.indexOf('<', pos) + 1;
                int end = re.indexOf('>', nameStart);
                if (end <= nameStart) {
                    throw new UnsupportedRegexException("bad named group");
                }
                for (int i = nameStart; i < end; i++) {
                    char ch = re.charAt(i);
                    if (!(isDigit(ch) || ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch == '_')) {
                        throw new UnsupportedRegexException("bad group name");
                    }
                }
                pos = end + 1;
            } else {
                return parseFlags(saved);
            }
        }
        Node body = parseAlternation();
        expectClose();
        flags = saved;
        return body;
    }

    /** {@code (?flags)} (returns null, flags stay set until the enclosing group ends) or {@code (?flags:re)}. */
    private Node parseFlags(int saved) {
        pos++; // '?'
        int f = flags;
        boolean negate = false;
        boolean sawFlag = false;
        while (true) {
            if (pos >= re.length()) {
                throw new UnsupportedRegexException("missing ')'");
            }
            char ch = re.charAt(pos++);
            int bit;
            switch (ch) {
                case 'i':
                    bit = FOLD;
                    break;
                case 's':
                    bit = DOT_NL;
                    break;
                case 'm':
                    bit = MULTI_LINE;
                    break;
                case 'U':
                    bit = 0; // non-greedy by default: irrelevant here
                    break;
                case '-':
                    if (negate) {
                        throw new UnsupportedRegexException("bad flags");
                    }
                    negate = true;
                    sawFlag = false;
                    continue;
                case ':':
                case ')':
                    if (negate && !sawFlag) {
                        throw new UnsupportedRegexException("bad flags");
                    }
                    flags = f;
                    if (ch == ')') {
                        return null;
                    }
                    Node body = parseAlternation();
                    expectClose();
                    flags = saved;
                    return body;
                default:
                    throw new UnsupportedRegexException("unsupported group (?" + ch);
            }
            sawFlag = true;
            f = negate ? f & ~bit : f | bit;
        }
    }

    private void expectClose() {
        if (pos >= re.length() || re.charAt(pos) != ')') {
            throw new UnsupportedRegexException("missing ')'");
        }
        pos++;
    }

    private Node parseBackslash() {
        if (pos + 1 >= re.length()) {
            throw new UnsupportedRegexException("trailing backslash");
        }
        char c = re.charAt(pos + 1);
        switch (c) {
            case 'A':
                pos += 2;
                return Node.assertion(Node.BEGIN_TEXT);
            case 'z':
                pos += 2;
                return Node.assertion(Node.END_TEXT);
            case 'b':
                pos += 2;
                return Node.assertion(Node.WORD_BOUNDARY);
            case 'B':
                pos += 2;
                return Node.assertion(Node.NO_WORD_BOUNDARY);
            default:
                break;
        }
        CharSet perl = perlClass();
        if (perl != null) {
            return Node.chars(perl);
        }
        return literal(parseEscape());
    }

    /** {@code \d \D \s \S \w \W} at {@link #pos} (consumed), or null. */
    private CharSet perlClass() {
        if (pos + 1 >= re.length() || re.charAt(pos) != '\\') {
            return null;
        }
        CharSet base;
        switch (Character.toLowerCase(re.charAt(pos + 1))) {
            case 'd':
                base = DIGIT;
                break;
            case 's':
                base = SPACE;
                break;
            case 'w':
                base = WORD;
                break;
            case 'p':
                throw new UnsupportedRegexException("Unicode class");
            default:
                return null;
        }
        boolean negated = Character.isUpperCase(re.charAt(pos + 1));
        pos += 2;
        return group(base, negated);
    }

    /** A Perl or POSIX group: RE2 folds it under (?i) first, then negates. */
    private CharSet group(CharSet base, boolean negated) {
        CharSet s = (flags & FOLD) != 0 ? base.fold() : base;
        return negated ? s.negate() : s;
    }

    /** A single-character escape at {@link #pos} (consumed). */
    private int parseEscape() {
        pos++; // '\\'
        if (pos >= re.length()) {
            throw new UnsupportedRegexException("trailing backslash");
        }
        int c = re.codePointAt(pos);
        pos += Character.charCount(c);
        switch (c) {
            case '1': case '2': case '3': case '4': case '5': case '6': case '7':
                // A lone \1..\7 is a back-reference (refused); followed by an octal digit it is octal.
                if (pos >= re.length() || re.charAt(pos) < '0' || re.charAt(pos) > '7') {
                    throw new UnsupportedRegexException("back-reference");
                }
                return octal(c - '0');
            case '0':
                return octal(0);
            case 'x':
                return hex();
            case 'a':
                return 7;
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'v':
                return 0x0B;
            default:
                if (c < 0x80 && !Character.isLetterOrDigit(c)) {
                    return c; // escaped punctuation (and '_') stands for itself
                }
                throw new UnsupportedRegexException("invalid escape \\" + new String(Character.toChars(c)));
        }
    }

    /** Up to two more octal digits after the first. */
    private int octal(int first) {
        int r = first;
        for (int i = 1; i < 3 && pos < re.length() && re.charAt(pos) >= '0' && re.charAt(pos) <= '7'; i++) {
            r = r * 8 + re.charAt(pos++) - '0';
        }
        return r;
    }

    private int hex() {
        if (pos >= re.length()) {
            throw new UnsupportedRegexException("bad \\x");
        }
        if (re.charAt(pos) == '{') {
            int end = re.indexOf('}', pos);
            if (end < 0 || end == pos + 1) {
                throw new UnsupportedRegexException("bad \\x{}");
            }
            long v = 0;
            for (int i = pos + 1; i < end; i++) {
                int d = Character.digit(re.charAt(i), 16);
                if (d < 0 || re.charAt(i) > 'f') {
                    throw new UnsupportedRegexException("bad \\x{}");
                }
                v = v * 16 + d;
                if (v > CharSet.MAX_CP) {
                    throw new UnsupportedRegexException("bad \\x{}");
                }
            }
            pos = end + 1;
            return (int) v;
        }
        if (pos + 1 >= re.length()) {
            throw new UnsupportedRegexException("bad \\x");
        }
        int a = hexDigit(re.charAt(pos));
        int b = hexDigit(re.charAt(pos + 1));
        if (a < 0 || b < 0) {
            throw new UnsupportedRegexException("bad \\x");
        }
        pos += 2;
        return a * 16 + b;
    }

    private static int hexDigit(char c) {
        return c <= 'f' ? Character.digit(c, 16) : -1;
    }

    /** A bracketed class at {@link #pos}, RE2 rules: ']' first is literal, '-' is literal at the edges. */
    private CharSet parseClass() {
        pos++; // '['
        CharSet.Builder b = new CharSet.Builder();
        boolean negated = false;
        if (pos < re.length() && re.charAt(pos) == '^') {
            negated = true;
            pos++;
        }
        boolean first = true;
        while (true) {
            if (pos >= re.length()) {
                throw new UnsupportedRegexException("missing ']'");
            }
            if (re.charAt(pos) == ']' && !first) {
                break;
            }
            first = false;
            if (re.startsWith("[:", pos)) {
                int end = re.indexOf(":]", pos + 2);
                if (end >= 0) {
                    String name = re.substring(pos + 2, end);
                    boolean neg = name.startsWith("^");
                    CharSet posix = posix(neg ? name.substring(1) : name);
                    b.addSet(group(posix, neg));
                    pos = end + 2;
                    continue;
                }
            }
            CharSet perl = perlClass();
            if (perl != null) {
                b.addSet(perl);
                continue;
            }
            int lo = classChar();
            int hi = lo;
            if (pos + 1 < re.length() && re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
                pos++;
                hi = classChar();
                if (hi < lo) {
                    throw new UnsupportedRegexException("bad range");
                }
            }
            b.add(lo, hi);
            if ((flags & FOLD) != 0) {
                CaseFold.addFolded(lo, hi, b);
            }
        }
        pos++; // ']'
        CharSet s = b.build();
        return negated ? s.negate() : s;
    }

    private int classChar() {
        if (pos >= re.length()) {
            throw new UnsupportedRegexException("missing ']'");
        }
        if (re.charAt(pos) == '\\') {
            return parseEscape();
        }
        int c = re.codePointAt(pos);
        pos += Character.charCount(c);
        return c;
    }

    private static CharSet posix(String name) {
        CharSet.Builder b = new CharSet.Builder();
        switch (name) {
            case "alnum":
                return b.add('0', '9').add('A', 'Z').add('a', 'z').build();
            case "alpha":
                return b.add('A', 'Z').add('a', 'z').build();
            case "ascii":
                return b.add(0, 0x7F).build();
            case "blank":
                return b.add('\t').add(' ').build();
            case "cntrl":
                return b.add(0, 0x1F).add(0x7F).build();
            case "digit":
                return DIGIT;
            case "graph":
                return b.add('!', '~').build();
            case "lower":
                return b.add('a', 'z').build();
            case "print":
                return b.add(' ', '~').build();
            case "punct":
                return b.add('!', '/').add(':', '@').add('[', '`').add('{', '~').build();
            case "space":
                return b.add('\t', '\r').add(' ').build();
            case "upper":
                return b.add('A', 'Z').build();
            case "word":
                return WORD;
            case "xdigit":
                return b.add('0', '9').add('A', 'F').add('a', 'f').build();
            default:
                throw new UnsupportedRegexException("unknown POSIX class " + name);
        }
    }
}

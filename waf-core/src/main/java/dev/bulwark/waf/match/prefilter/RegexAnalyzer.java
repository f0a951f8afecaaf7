package dev.bulwark.waf.match.prefilter;

import dev.bulwark.waf.internal.Ascii;

import dev.bulwark.waf.match.AhoCorasick;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses RE2 syntax and derives the literal {@link Formula} a match requires. Each node yields
 * an {@link Info}: either an exact set (the node matches exactly one of these folded strings)
 * or a formula that every match satisfies. Unknown or invalid syntax makes the whole regex
 * {@link Formula#ALL}: never wrong, only unfiltered. Not thread-safe; use one per build.
 */
final class RegexAnalyzer {

    /** Largest cross product of exact sets in a concatenation or fixed repetition. */
    static final int CROSS_LIMIT = 16;
    /** Largest exact set an alternation may keep before becoming an OR of atoms. */
    static final int UNION_LIMIT = 1024;
    /** Largest character class (after folding) kept as an exact set of one-char strings. */
    static final int CLASS_LIMIT = 8;
    /** Exact strings longer than this are turned into atoms early, bounding copy work. */
    static final int MAX_EXACT_LENGTH = 40;
    /** Node bound for the formula of one regex. */
    static final int MAX_FORMULA = 4096;
    /** Group nesting bound; deeper regexes are left unfiltered instead of risking the stack. */
    static final int MAX_DEPTH = 200;

    private final int minAtomLength;
    private int[] cps;
    private int pos;

    RegexAnalyzer(int minAtomLength) {
        this.minAtomLength = minAtomLength;
    }

    /** The requirement of {@code regex}; {@link Formula#ALL} when nothing can be derived. */
    Formula analyze(String regex) {
        cps = regex.codePoints().toArray();
        pos = 0;
        try {
            Info info = parseAlternation(0);
            if (pos != cps.length) {
                return Formula.ALL; // unbalanced ')'
            }
            return info.toMatch();
        } catch (RuntimeException | StackOverflowError e) {
            // Unsupported syntax, or a defect here: either way ANY is the safe answer.
            return Formula.ALL;
        } finally {
            cps = null;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Info algebra

    /** What a sub-expression tells us: an exact string set, or a requirement formula. */
    final class Info {
        final Set<String> exact;
        final Formula match;

        Info(Set<String> exact) {
            this.exact = exact;
            this.match = null;
        }

        Info(Formula match) {
            this.exact = null;
            this.match = match;
        }

        boolean isExact() {
            return exact != null;
        }

        Formula toMatch() {
            return isExact() ? exactToMatch(exact) : match;
        }
    }

    private Info exactOf(String s) {
        Set<String> set = new LinkedHashSet<>();
        set.add(s);
        return new Info(set);
    }

    private Info empty() {
        return exactOf("");
    }

    private Info any() {
        return new Info(Formula.ALL);
    }

    /** OR over the strings; a string shorter than the minimum has no atom, so the OR is ALL. */
    Formula exactToMatch(Set<String> set) {
        List<Formula> atoms = new ArrayList<>(set.size());
        for (String s : set) {
            if (s.length() < minAtomLength) {
                return Formula.ALL;
            }
            atoms.add(Formula.atom(s));
        }
        return Formula.or(atoms, MAX_FORMULA);
    }

    private static Set<String> cross(Set<String> a, Set<String> b) {
        Set<String> out = new LinkedHashSet<>();
        for (String x : a) {
            for (String y : b) {
                out.add(x.concat(y));
            }
        }
        return out;
    }

    private static int maxLength(Set<String> set) {
        int m = 0;
        for (String s : set) {
            m = Math.max(m, s.length());
        }
        return m;
    }

    private Info concat(List<Info> items) {
        Set<String> exact = new LinkedHashSet<>();
        exact.add("");
        boolean isExact = true;
        List<Formula> conj = new ArrayList<>();
        for (Info item : items) {
            if (item.isExact()) {
                long product = (long) exact.size() * item.exact.size();
                // A product with a single string does not grow the set (a shared prefix or
                // suffix of a word list), so it may go up to the union bound.
                boolean small = product <= CROSS_LIMIT
                        || (Math.min(exact.size(), item.exact.size()) == 1 && product <= UNION_LIMIT);
                if (small && maxLength(exact) + maxLength(item.exact) <= MAX_EXACT_LENGTH) {
                    exact = cross(exact, item.exact);
                } else {
                    // Restart the exact run; what we had becomes a conjunct.
                    conj.add(exactToMatch(exact));
                    exact = item.exact;
                    isExact = false;
                }
            } else {
                conj.add(exactToMatch(exact));
                conj.add(item.match);
                exact = new LinkedHashSet<>();
                exact.add("");
                isExact = false;
            }
        }
        if (isExact) {
            return new Info(exact);
        }
        conj.add(exactToMatch(exact));
        return new Info(Formula.and(conj, MAX_FORMULA));
    }

    private Info alternate(List<Info> branches) {
        if (branches.size() == 1) {
            return branches.get(0);
        }
        boolean allExact = true;
        int total = 0;
        for (Info b : branches) {
            if (!b.isExact()) {
                allExact = false;
                break;
            }
            total += b.exact.size();
        }
        if (allExact && total <= UNION_LIMIT) {
            Set<String> union = new LinkedHashSet<>();
            for (Info b : branches) {
                union.addAll(b.exact);
            }
            return new Info(union);
        }
        List<Formula> parts = new ArrayList<>(branches.size());
        for (Info b : branches) {
            Formula f = b.toMatch();
            if (f.kind == Formula.Kind.ALL) {
                return any();
            }
            parts.add(f);
        }
        return new Info(Formula.or(parts, MAX_FORMULA));
    }

    /** {@code sub{min,max}}; max == -1 means unbounded. */
    private Info repeat(Info sub, int min, int max) {
        if (max == 0) {
            return empty();
        }
        if (min == 0) {
            if (max == 1 && sub.isExact()) {
                Set<String> s = new LinkedHashSet<>(sub.exact);
                s.add("");
                return new Info(s);
            }
            return any();
        }
        if (!sub.isExact()) {
            return sub; // every match contains a match of sub
        }
        // x{min,...} contains a string of X^min: the first min repetitions.
        Set<String> rep = null;
        if (min <= CROSS_LIMIT && Math.pow(sub.exact.size(), min) <= CROSS_LIMIT
                && (long) maxLength(sub.exact) * min <= MAX_EXACT_LENGTH) {
            rep = new LinkedHashSet<>();
            rep.add("");
            for (int i = 0; i < min; i++) {
                rep = cross(rep, sub.exact);
            }
        }
        if (rep == null) {
            return new Info(exactToMatch(sub.exact));
        }
        if (max == min) {
            return new Info(rep);
        }
        return new Info(exactToMatch(rep));
    }

    private Info literal(int cp) {
        return exactOf(AhoCorasick.foldString(new String(Character.toChars(cp))));
    }

    // ---------------------------------------------------------------------------------------
    // Parser (RE2 syntax as RE2J accepts it by default)

    /** Thrown for syntax this parser does not handle; the regex then stays unfiltered. */
    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static Unsupported unsupported() {
        return new Unsupported();
    }

    private boolean more() {
        return pos < cps.length;
    }

    private int peek() {
        if (pos >= cps.length) {
            throw unsupported();
        }
        return cps[pos];
    }

    private int peekAt(int off) {
        return pos + off < cps.length ? cps[pos + off] : -1;
    }

    private int next() {
        if (pos >= cps.length) {
            throw unsupported();
        }
        return cps[pos++];
    }

    private Info parseAlternation(int depth) {
        if (depth > MAX_DEPTH) {
            throw unsupported();
        }
        List<Info> branches = new ArrayList<>();
        branches.add(parseConcat(depth));
        while (more() && peek() == '|') {
            pos++;
            branches.add(parseConcat(depth));
        }
        return alternate(branches);
    }

    private Info parseConcat(int depth) {
        List<Info> items = new ArrayList<>();
        while (more()) {
            int c = peek();
            if (c == '|' || c == ')') {
                break;
            }
            if (c == '*' || c == '+' || c == '?' || (c == '{' && repeatSpecAhead())) {
                if (items.isEmpty()) {
                    throw unsupported(); // missing argument to repetition operator
                }
                int last = items.size() - 1;
                Info sub = items.remove(last);
                items.addAll(parseRepeat(sub));
                continue;
            }
            if (c == '\\' && peekAt(1) == 'Q') {
                pos += 2;
                // Literal text up to \E (or the end); a following repeat applies to its last char.
                while (more()) {
                    if (peek() == '\\' && peekAt(1) == 'E') {
                        pos += 2;
                        break;
                    }
                    items.add(literal(next()));
                }
                continue;
            }
            items.add(parseAtom(depth));
        }
        return concat(items);
    }

    /**
     * Parses a repeat operator applied to {@code sub}. An exact {@code x{n,m}} is returned as the
     * two items {@code x^n} and {@code x{0,m-n}}, so that x^n still joins its neighbours in the
     * enclosing concatenation (as in {@code abc+d}, which requires "abc").
     */
    private List<Info> parseRepeat(Info sub) {
        int c = next();
        int min;
        int max;
        if (c == '*') {
            min = 0;
            max = -1;
        } else if (c == '+') {
            min = 1;
            max = -1;
        } else if (c == '?') {
            min = 0;
            max = 1;
        } else {
            min = number();
            max = min;
            if (peek() == ',') {
                pos++;
                max = peek() == '}' ? -1 : number();
            }
            next(); // '}', checked by repeatSpecAhead
            if (min > 1000 || max > 1000 || (max >= 0 && max < min)) {
                throw unsupported(); // RE2 rejects these
            }
        }
        if (more() && peek() == '?') {
            pos++; // non-greedy: same strings
        }
        if (min >= 1 && max != min && sub.isExact() && sub.exact.size() == 1) {
            Info head = repeat(sub, min, min);
            if (head.isExact()) {
                return List.of(head, repeat(sub, 0, max < 0 ? -1 : max - min));
            }
        }
        return List.of(repeat(sub, min, max));
    }

    /** Whether the text at pos is {n}, {n,} or {n,m}; otherwise '{' is a literal. */
    private boolean repeatSpecAhead() {
        int i = pos + 1;
        int digits = 0;
        while (i < cps.length && isDigit(cps[i])) {
            i++;
            digits++;
        }
        if (digits == 0 || i >= cps.length) {
            return false;
        }
        if (cps[i] == ',') {
            i++;
            while (i < cps.length && isDigit(cps[i])) {
                i++;
            }
        }
        return i < cps.length && cps[i] == '}';
    }

    private int number() {
        long v = 0;
        int digits = 0;
        while (more() && isDigit(peek())) {
            v = Math.min(v * 10 + (next() - '0'), Integer.MAX_VALUE);
            digits++;
        }
        if (digits == 0) {
            throw unsupported();
        }
        return (int) v;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private Info parseAtom(int depth) {
        int c = next();
        switch (c) {
            case '(':
                return parseGroup(depth);
            case '[':
                return parseClass();
            case '.':
                return any();
            case '^':
            case '$':
                return empty();
            case '\\':
                return parseEscapeAtom();
            default:
                return literal(c);
        }
    }

    private Info parseGroup(int depth) {
        if (more() && peek() == '?') {
            pos++;
            int c = next();
            if (c == 'P' || c == '<') {
                if (c == 'P' && next() != '<') {
                    throw unsupported(); // (?P=name) back-reference or (?P>...)
                }
                while (next() != '>') {
                    // skip the group name
                }
            } else {
                pos--;
                // Flags: i, m, s, U, optionally negated. Case flags are irrelevant to us because
                // everything is folded, and the others do not change which literals occur.
                int seen = 0;
                while (true) {
                    int f = next();
                    if (f == ')') {
                        if (seen == 0) {
                            throw unsupported();
                        }
                        return empty();
                    }
                    if (f == ':') {
                        break;
                    }
                    if (f != 'i' && f != 'm' && f != 's' && f != 'U' && f != '-') {
                        throw unsupported();
                    }
                    seen++;
                }
            }
        }
        Info inner = parseAlternation(depth + 1);
        if (!more() || next() != ')') {
            throw unsupported(); // missing ')'
        }
        return inner;
    }

    private Info parseEscapeAtom() {
        int c = peek();
        switch (c) {
            case 'A':
            case 'z':
            case 'b':
            case 'B':
                pos++;
                return empty();
            case 'C':
                pos++;
                return any();
            case 'd':
            case 's':
            case 'w':
            case 'D':
            case 'S':
            case 'W':
            case 'p':
            case 'P': {
                ClassBuilder cb = new ClassBuilder();
                parsePerlOrUnicodeClass(cb);
                return cb.info();
            }
            default:
                return literal(parseEscapeChar());
        }
    }

    /** Parses the escape after a backslash that denotes one code point. */
    private int parseEscapeChar() {
        int c = next();
        switch (c) {
            case '1': case '2': case '3': case '4': case '5': case '6': case '7':
                if (!more() || peek() < '0' || peek() > '7') {
                    throw unsupported(); // back-reference
                }
                // fall through: octal
            case '0': {
                int v = c - '0';
                for (int i = 0; i < 2 && more() && peek() >= '0' && peek() <= '7'; i++) {
                    v = v * 8 + (next() - '0');
                }
                return v;
            }
            case 'x': {
                if (more() && peek() == '{') {
                    pos++;
                    int v = 0;
                    int digits = 0;
                    while (true) {
                        int h = next();
                        if (h == '}') {
                            break;
                        }
                        int d = Character.digit(h, 16);
                        if (d < 0 || h > 'f') {
                            throw unsupported();
                        }
                        v = v * 16 + d;
                        if (v > Character.MAX_CODE_POINT) {
                            throw unsupported();
                        }
                        digits++;
                    }
                    if (digits == 0) {
                        throw unsupported();
                    }
                    return v;
                }
                int h1 = hex(next());
                int h2 = hex(next());
                return h1 * 16 + h2;
            }
            case 'a':
                return 7;
            case 'f':
                return '\f';
            case 't':
                return '\t';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 'v':
                return 0x0B;
            default:
                if (c < 0x80 && !Character.isLetterOrDigit(c)) {
                    return c; // escaped punctuation
                }
                throw unsupported();
        }
    }

    private static int hex(int c) {
        return Ascii.hexValue(c);
    }

    /** At a backslash-less position on d s w D S W p P: adds that class to cb. */
    private void parsePerlOrUnicodeClass(ClassBuilder cb) {
        int c = next();
        switch (c) {
            case 'd':
                cb.add('0', '9');
                return;
            case 's':
                cb.add('\t', '\n');
                cb.add('\f', '\r');
                cb.add(' ', ' ');
                return;
            case 'w':
                cb.add('0', '9');
                cb.add('A', 'Z');
                cb.add('a', 'z');
                cb.add('_', '_');
                return;
            case 'D':
            case 'S':
            case 'W':
                cb.huge();
                return;
            default: // p, P: a Unicode class name, one letter or {Name}; too big to enumerate
                if (next() == '{') {
                    while (next() != '}') {
                        // skip the name
                    }
                }
                cb.huge();
        }
    }

    private Info parseClass() {
        ClassBuilder cb = new ClassBuilder();
        boolean negated = false;
        if (more() && peek() == '^') {
            pos++;
            negated = true;
        }
        boolean first = true;
        while (true) {
            int c = next();
            if (c == ']' && !first) {
                break;
            }
            first = false;
            if (c == '[' && more() && peek() == ':') {
                int close = findPosixEnd();
                if (close >= 0) {
                    String name = new String(cps, pos + 1, close - pos - 1);
                    pos = close + 2;
                    posixClass(name, cb);
                    continue;
                }
            }
            if (c == '\\' && more()) {
                int e = peek();
                if (e == 'd' || e == 's' || e == 'w' || e == 'D' || e == 'S' || e == 'W'
                        || e == 'p' || e == 'P') {
                    parsePerlOrUnicodeClass(cb);
                    continue;
                }
            }
            int lo = c == '\\' ? parseEscapeChar() : c;
            int hi = lo;
            if (more() && peek() == '-' && peekAt(1) != ']' && peekAt(1) != -1) {
                pos++;
                int h = next();
                hi = h == '\\' ? parseEscapeChar() : h;
                if (hi < lo) {
                    throw unsupported();
                }
            }
            cb.add(lo, hi);
        }
        if (negated) {
            cb.huge(); // a negated class matches almost everything
        }
        return cb.info();
    }

    /** Index of the ':' of the closing ":]" of a POSIX class starting at pos (at ':'), or -1. */
    private int findPosixEnd() {
        // Names are short; a bounded look-ahead keeps parsing linear.
        for (int i = pos + 1; i + 1 < cps.length && i < pos + 12; i++) {
            if (cps[i] == ':' && cps[i + 1] == ']') {
                return i;
            }
        }
        return -1;
    }

    private static void posixClass(String name, ClassBuilder cb) {
        boolean neg = name.startsWith("^");
        String n = neg ? name.substring(1) : name;
        if (neg) {
            cb.huge();
            return;
        }
        switch (n) {
            case "digit":
                cb.add('0', '9');
                break;
            case "xdigit":
                cb.add('0', '9');
                cb.add('A', 'F');
                cb.add('a', 'f');
                break;
            case "blank":
                cb.add('\t', '\t');
                cb.add(' ', ' ');
                break;
            case "space":
                cb.add('\t', '\r');
                cb.add(' ', ' ');
                break;
            case "alpha": case "alnum": case "ascii": case "cntrl": case "graph": case "lower":
            case "print": case "punct": case "upper": case "word":
                cb.huge();
                break;
            default:
                throw unsupported(); // RE2 rejects unknown names
        }
    }

    /** Collects class ranges and turns a small class into an exact set of folded chars. */
    private final class ClassBuilder {
        private final List<int[]> ranges = new ArrayList<>();
        private boolean huge;
        private long size;

        void add(int lo, int hi) {
            ranges.add(new int[] {lo, hi});
            size += hi - lo + 1;
            if (size > 4 * CLASS_LIMIT) {
                huge = true;
            }
        }

        void huge() {
            huge = true;
        }

        Info info() {
            if (huge) {
                return any();
            }
            Set<String> set = new LinkedHashSet<>();
            for (int[] r : ranges) {
                for (int cp = r[0]; cp <= r[1]; cp++) {
                    set.add(AhoCorasick.foldString(new String(Character.toChars(cp))));
                }
            }
            if (set.size() > CLASS_LIMIT) {
                return any();
            }
            return new Info(set); // empty set: the class matches nothing
        }
    }
}

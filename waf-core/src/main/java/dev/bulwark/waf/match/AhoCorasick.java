package dev.bulwark.waf.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A multi-pattern substring matcher (Aho-Corasick automaton). Built once from a set of patterns,
 * then immutable and safe to share between threads. Every scan is one left-to-right pass over the
 * text, so its cost is linear in the text length (plus, for {@link #matches}, the number of
 * distinct patterns found).
 *
 * <p>Pattern ids are the positions of the patterns in the collection given to {@link #of}.
 * Duplicate patterns keep their own ids. An empty pattern occurs in every text, even an empty one.
 *
 * <p>Case-insensitive automata fold both patterns and text per code point with {@link #fold(int)}
 * (ASCII plus simple Unicode case mappings), so a pattern's folded form is looked up in the
 * folded text.
 */
public final class AhoCorasick {

    /** Dense transition tables above this many cells fall back to trie edges plus failure links. */
    private static final int DENSE_BUDGET = 1 << 20;

    private final boolean caseInsensitive;
    private final int patternCount;
    /** Folded length (in chars) of each pattern; used to find where a match starts. */
    private final int[] patternLength;

    // Alphabet compression: chars that occur in no pattern share class 0.
    private final int[] asciiClass;
    /** {@code asciiClass} of the case-folded char (of the char itself when case-sensitive). */
    private final int[] asciiFoldedClass;
    private final char[] wideChars;
    private final int[] wideClass;
    private final int classCount;

    // Trie edges in CSR form (sorted by class), used when the dense table is over budget.
    private final int[] edgeStart;
    private final int[] edgeClass;
    private final int[] edgeTarget;
    private final int[] fail;

    // Outputs: own pattern ids per state (CSR) and the nearest suffix state that has own outputs.
    private final int[] outStart;
    private final int[] outIds;
    private final int[] dictLink;
    /** Dense index among states that report something (own or via dictLink), or -1. */
    private final int[] reportIndex;
    private final int reportCount;
    /**
     * The dense table with premultiplied targets (state * classCount), so the scan loop adds
     * instead of multiplying; a target that reports something is stored as its bitwise NOT.
     * Null when over budget (then trie edges plus failure links).
     */
    private final int[] packed;
    /** The longest pattern, in folded chars: how far apart two interleaved scan streams must overlap. */
    private final int maxLength;
    /** {@code (x * divisionMagic) >>> 40 == x / classCount} for every premultiplied offset x. */
    private final long divisionMagic;

    private AhoCorasick(boolean caseInsensitive, String[] folded) {
        this.caseInsensitive = caseInsensitive;
        this.patternCount = folded.length;
        this.patternLength = new int[folded.length];

        // 1. alphabet
        int[] ascii = new int[128];
        BitSet wide = new BitSet();
        for (String p : folded) {
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c < 128) {
                    ascii[c] = 1;
                } else {
                    wide.set(c);
                }
            }
        }
        int classes = 1;
        for (int c = 0; c < 128; c++) {
            if (ascii[c] != 0) {
                ascii[c] = classes++;
            }
        }
        char[] wc = new char[wide.cardinality()];
        int[] wcl = new int[wc.length];
        int k = 0;
        for (int c = wide.nextSetBit(0); c >= 0; c = wide.nextSetBit(c + 1)) {
            wc[k] = (char) c;
            wcl[k++] = classes++;
        }
        this.asciiClass = ascii;
        this.asciiFoldedClass = new int[128];
        for (int c = 0; c < 128; c++) {
            asciiFoldedClass[c] = ascii[caseInsensitive && c >= 'A' && c <= 'Z' ? c + 32 : c];
        }
        this.wideChars = wc;
        this.wideClass = wcl;
        this.classCount = classes;

        // 2. trie, built with per-state growable child lists
        List<int[]> children = new ArrayList<>(); // pairs (class, target), packed
        int[] childCount = new int[16];
        List<int[]> outs = new ArrayList<>();
        int[] outCount = new int[16];
        children.add(new int[4]);
        outs.add(null);
        int states = 1;
        for (int id = 0; id < folded.length; id++) {
            String p = folded[id];
            patternLength[id] = p.length();
            int s = 0;
            for (int i = 0; i < p.length(); i++) {
                int cls = classOf(p.charAt(i));
                int t = findChild(children.get(s), childCount[s], cls);
                if (t < 0) {
                    t = states++;
                    if (t == childCount.length) {
                        childCount = Arrays.copyOf(childCount, t * 2);
                        outCount = Arrays.copyOf(outCount, t * 2);
                    }
                    children.add(new int[4]);
                    outs.add(null);
                    int[] arr = children.get(s);
                    int n = childCount[s];
                    if (2 * n + 2 > arr.length) {
                        arr = Arrays.copyOf(arr, arr.length * 2);
                        children.set(s, arr);
                    }
                    arr[2 * n] = cls;
                    arr[2 * n + 1] = t;
                    childCount[s] = n + 1;
                }
                s = t;
            }
            int[] o = outs.get(s);
            if (o == null) {
                o = new int[2];
                outs.set(s, o);
            } else if (outCount[s] == o.length) {
                o = Arrays.copyOf(o, o.length * 2);
                outs.set(s, o);
            }
            o[outCount[s]++] = id;
        }

        // 3. flatten edges (sorted by class for binary search) and outputs
        edgeStart = new int[states + 1];
        int edges = 0;
        for (int s = 0; s < states; s++) {
            edges += childCount[s];
        }
        edgeClass = new int[edges];
        edgeTarget = new int[edges];
        int e = 0;
        for (int s = 0; s < states; s++) {
            edgeStart[s] = e;
            int n = childCount[s];
            int[] arr = children.get(s);
            long[] sorted = new long[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = ((long) arr[2 * i] << 32) | arr[2 * i + 1];
            }
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                edgeClass[e] = (int) (sorted[i] >>> 32);
                edgeTarget[e++] = (int) sorted[i];
            }
        }
        edgeStart[states] = e;
        outStart = new int[states + 1];
        int totalOut = 0;
        for (int s = 0; s < states; s++) {
            totalOut += outCount[s];
        }
        outIds = new int[totalOut];
        int q = 0;
        for (int s = 0; s < states; s++) {
            outStart[s] = q;
            int[] o = outs.get(s);
            for (int i = 0; i < outCount[s]; i++) {
                outIds[q++] = o[i];
            }
        }
        outStart[states] = q;

        // 4. failure and dictionary links, breadth first
        fail = new int[states];
        dictLink = new int[states];
        Arrays.fill(dictLink, -1);
        long cells = (long) states * classCount;
        // The full transition function, state * classCount + class (null when over budget);
        // turned into the packed table below.
        int[] delta = cells <= DENSE_BUDGET ? new int[(int) cells] : null;
        int[] order = new int[states];
        int head = 0;
        int tail = 0;
        order[tail++] = 0;
        while (head < tail) {
            int s = order[head++];
            for (int i = edgeStart[s]; i < edgeStart[s + 1]; i++) {
                int t = edgeTarget[i];
                int f = s == 0 ? 0 : step(fail[s], edgeClass[i]);
                fail[t] = f;
                dictLink[t] = outStart[f] < outStart[f + 1] ? f : dictLink[f];
                order[tail++] = t;
            }
            if (delta != null) {
                int base = s * classCount;
                for (int c = 0; c < classCount; c++) {
                    int t = child(s, c);
                    delta[base + c] = t >= 0 ? t : (s == 0 ? 0 : delta[fail[s] * classCount + c]);
                }
            }
        }
        reportIndex = new int[states];
        int r = 0;
        for (int s = 0; s < states; s++) {
            reportIndex[s] = (outStart[s] < outStart[s + 1] || dictLink[s] >= 0) ? r++ : -1;
        }
        reportCount = r;
        if (delta != null) {
            for (int i = 0; i < delta.length; i++) { // in place: the plain table is not kept
                int t = delta[i];
                delta[i] = reportIndex[t] >= 0 ? ~(t * classCount) : t * classCount;
            }
        }
        packed = delta;
        int longest = 0;
        for (int len : patternLength) {
            longest = Math.max(longest, len);
        }
        maxLength = longest;
        divisionMagic = ((1L << 40) + classCount - 1) / classCount;
    }

    /**
     * Builds an automaton.
     *
     * @param patterns the patterns; ids are their iteration order; null elements are rejected
     * @param caseInsensitive whether to fold case of patterns and text (see {@link #fold(int)})
     */
    public static AhoCorasick of(Collection<String> patterns, boolean caseInsensitive) {
        String[] folded = new String[patterns.size()];
        int i = 0;
        for (String p : patterns) {
            Objects.requireNonNull(p, "pattern");
            folded[i++] = caseInsensitive ? foldString(p) : p;
        }
        return new AhoCorasick(caseInsensitive, folded);
    }

    /**
     * The case fold used by case-insensitive automata: lower case of upper case. It maps every
     * member of a simple Unicode case orbit (for example {@code k}, {@code K} and the Kelvin sign,
     * or {@code s}, {@code S} and the long s) to one code point, which plain lower-casing does not.
     */
    public static int fold(int codePoint) {
        if (codePoint < 128) {
            return codePoint >= 'A' && codePoint <= 'Z' ? codePoint + 32 : codePoint;
        }
        return Character.toLowerCase(Character.toUpperCase(codePoint));
    }

    /** Applies {@link #fold(int)} to every code point of {@code s}. */
    public static String foldString(CharSequence s) {
        StringBuilder sb = null;
        int n = s.length();
        for (int i = 0; i < n; ) {
            int cp = Character.codePointAt(s, i);
            int len = Character.charCount(cp);
            int f = fold(cp);
            if (f != cp && sb == null) {
                sb = new StringBuilder(n);
                sb.append(s, 0, i);
            }
            if (sb != null) {
                sb.appendCodePoint(f);
            }
            i += len;
        }
        return sb != null ? sb.toString() : s.toString();
    }

    /** Number of patterns (the exclusive upper bound of pattern ids). */
    public int patternCount() {
        return patternCount;
    }

    /** Whether any pattern occurs in {@code text}; stops at the first occurrence. */
    public boolean containsAny(CharSequence text) {
        return firstMatch(text) != null;
    }

    /**
     * Sets in {@code found} the id of every pattern that occurs in {@code text} (bits already set
     * stay set). Each automaton state's outputs are reported at most once per call, which keeps
     * the cost linear even for overlapping patterns such as {@code a}, {@code aa}, {@code aaa}.
     */
    public void matches(CharSequence text, BitSet found) {
        new Scanner(this).matches(text, found);
    }

    /** Reusable scratch space for {@link #matches} over many values on one thread. */
    public Scanner scanner() {
        return new Scanner(this);
    }

    /**
     * Finds all patterns in one value after another without allocating: which reporting states
     * a scan has already reported is kept as a generation stamp per state, so nothing needs
     * clearing between values. One thread at a time.
     */
    public static final class Scanner {
        /** Values up to this length are copied into a buffer and scanned from it. */
        private static final int BUFFER = 4096;

        private final AhoCorasick ac;
        private final int[] stamps;
        private final char[] buffer = new char[BUFFER];
        private final int[] log;
        private int generation;

        private Scanner(AhoCorasick ac) {
            this.ac = ac;
            this.stamps = new int[ac.reportCount];
            this.log = new int[BUFFER + ac.maxLength];
        }

        /** As {@link AhoCorasick#matches(CharSequence, BitSet)}. */
        public void matches(CharSequence text, BitSet found) {
            if (++generation == 0) {
                java.util.Arrays.fill(stamps, 0); // after 2^32 scans: restart the stamps
                generation = 1;
            }
            ac.scan(text, found, stamps, generation, buffer, log);
        }
    }

    private void scan(CharSequence text, BitSet found, int[] seen, int gen, char[] buffer, int[] log) {
        int n = text.length();
        if (text instanceof String str && packed != null && n <= buffer.length) {
            str.getChars(0, n, buffer, 0); // one bulk copy beats a bounds-checked charAt per char
            scanAscii(buffer, n, log, text, found, seen, gen);
            return;
        }
        scanFrom(text, 0, 0, found, seen, gen);
    }

    /** The dense-table loop over a copy of the text; leaves for {@link #scanFrom} at the first non-ASCII char. */
    private void scanAscii(char[] chars, int n, int[] log, CharSequence text, BitSet found, int[] seen, int gen) {
        report(0, found, seen, gen);
        int[] table = this.packed;
        int[] folded = this.asciiFoldedClass;
        if (n >= INTERLEAVE_MIN && maxLength <= n / 8) {
            if (!scanTwoStreams(chars, n, log, found, seen, gen)) {
                scanFrom(text, 0, 0, found, seen, gen); // non-ASCII: the general loop, from the start
            }
            return;
        }
        int sp = 0;
        for (int i = 0; i < n; i++) {
            char c = chars[i];
            if (c >= 128) {
                scanFrom(text, i, stateAt(sp), found, seen, gen);
                return;
            }
            int v = table[sp + folded[c]];
            if (v >= 0) {
                sp = v;
            } else {
                sp = ~v;
                int s = stateAt(sp);
                if (seen[reportIndex[s]] != gen) {
                    report(s, found, seen, gen);
                }
            }
        }
    }

    /** Texts from this length on are scanned as two interleaved streams. */
    private static final int INTERLEAVE_MIN = 256;

    /**
     * Scans the two halves of an ASCII text in one loop, without a data-dependent branch. A
     * single scan is bound by the latency of each table load, which depends on the previous one;
     * two independent streams keep two loads in flight. The second stream starts
     * {@code maxLength - 1} chars before the first one ends, from the root, so every occurrence
     * lies wholly within one stream. Reporting states (a quarter of the steps over typical
     * request text) are appended to {@code log} and reported afterwards, since a branch on them
     * would often be mispredicted. Returns false, having reported nothing, at the first
     * non-ASCII char.
     */
    private boolean scanTwoStreams(char[] chars, int n, int[] log, BitSet found, int[] seen, int gen) {
        int[] table = this.packed;
        int[] folded = this.asciiFoldedClass;
        int overlap = Math.max(0, maxLength - 1);
        int len1 = (n + overlap + 1) >>> 1;
        int start2 = len1 - overlap;
        int len2 = n - start2; // len1 or len1 - 1
        int a = 0;
        int b = 0;
        int k1 = 0;
        int k2 = len1; // the second stream logs after the first one's region
        for (int i = 0; i < len2; i++) {
            char c1 = chars[i];
            char c2 = chars[start2 + i];
            if ((c1 | c2) >= 128) {
                return false;
            }
            int v1 = table[a + folded[c1]];
            int v2 = table[b + folded[c2]];
            log[k1] = v1;
            log[k2] = v2;
            k1 += v1 >>> 31;
            k2 += v2 >>> 31;
            a = v1 ^ (v1 >> 31); // ~v for a reporting entry, v otherwise
            b = v2 ^ (v2 >> 31);
        }
        if (len2 < len1) {
            char c = chars[len2];
            if (c >= 128) {
                return false;
            }
            int v = table[a + folded[c]];
            log[k1] = v;
            k1 += v >>> 31;
        }
        reportLogged(log, 0, k1, found, seen, gen);
        reportLogged(log, len1, k2, found, seen, gen);
        return true;
    }

    /** Reports the states logged (as packed entries) in {@code log[from, to)}. */
    private void reportLogged(int[] log, int from, int to, BitSet found, int[] seen, int gen) {
        for (int i = from; i < to; i++) {
            int s = stateAt(~log[i]);
            if (seen[reportIndex[s]] != gen) {
                report(s, found, seen, gen);
            }
        }
    }

    private void scanFrom(CharSequence text, int from, int state, BitSet found, int[] seen, int gen) {
        if (from == 0) {
            report(0, found, seen, gen);
        }
        int s = state;
        int n = text.length();
        int[] table = this.packed;
        int[] reportIndex = this.reportIndex;
        for (int i = from; i < n; ) {
            char c = text.charAt(i);
            if (c < 128 && table != null) {
                // Hot path: ASCII through the dense table, class lookup already case-folded.
                int v = table[s * classCount + asciiFoldedClass[c]];
                i++;
                s = stateAt(v < 0 ? ~v : v);
                if (v < 0 && seen[reportIndex[s]] != gen) {
                    report(s, found, seen, gen);
                }
            } else if (!caseInsensitive || c < 128) {
                s = next(s, caseInsensitive && c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
                i++;
                report(s, found, seen, gen);
            } else {
                int cp = Character.codePointAt(text, i);
                i += Character.charCount(cp);
                int f = fold(cp);
                if (f < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
                    s = next(s, (char) f);
                    report(s, found, seen, gen);
                } else {
                    s = next(s, Character.highSurrogate(f));
                    report(s, found, seen, gen);
                    s = next(s, Character.lowSurrogate(f));
                    report(s, found, seen, gen);
                }
            }
        }
    }

    /** The state whose premultiplied table offset is {@code offset} (offset / classCount, without a division). */
    private int stateAt(int offset) {
        return (int) ((offset * divisionMagic) >>> 40);
    }

    /**
     * Finds the occurrence that ends first; among those ending at the same place, the longest
     * pattern (and among equal patterns the smallest id). Returns null when no pattern occurs.
     * Offsets are indexes into {@code text} itself, also for case-insensitive automata.
     */
    public Match firstMatch(CharSequence text) {
        if (reportIndex[0] >= 0) {
            return new Match(outIds[outStart[0]], 0, 0);
        }
        int s = 0;
        int n = text.length();
        for (int i = 0; i < n; ) {
            char c = text.charAt(i);
            if (!caseInsensitive || c < 128) {
                s = next(s, caseInsensitive && c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
                i++;
                if (reportIndex[s] >= 0) {
                    return matchEndingAt(text, s, i);
                }
            } else {
                int cp = Character.codePointAt(text, i);
                i += Character.charCount(cp);
                int f = fold(cp);
                if (f < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
                    s = next(s, (char) f);
                } else {
                    s = next(s, Character.highSurrogate(f));
                    if (reportIndex[s] >= 0) {
                        // ends inside a folded surrogate pair: report the whole code point
                        return matchEndingAt(text, s, i);
                    }
                    s = next(s, Character.lowSurrogate(f));
                }
                if (reportIndex[s] >= 0) {
                    return matchEndingAt(text, s, i);
                }
            }
        }
        return null;
    }

    private Match matchEndingAt(CharSequence text, int state, int end) {
        int owner = outStart[state] < outStart[state + 1] ? state : dictLink[state];
        int id = outIds[outStart[owner]];
        int want = patternLength[id];
        if (!caseInsensitive) {
            return new Match(id, end - want, end);
        }
        // Walk back over original code points until their folded length covers the pattern.
        int start = end;
        int covered = 0;
        while (covered < want && start > 0) {
            int cp = Character.codePointBefore(text, start);
            start -= Character.charCount(cp);
            covered += Character.charCount(fold(cp));
        }
        return new Match(id, start, end);
    }

    private void report(int s, BitSet found, int[] seen, int gen) {
        while (s >= 0) {
            int r = reportIndex[s];
            if (r < 0 || seen[r] == gen) {
                return; // nothing here, or this state's whole suffix chain was reported already
            }
            seen[r] = gen;
            for (int i = outStart[s]; i < outStart[s + 1]; i++) {
                found.set(outIds[i]);
            }
            s = dictLink[s];
        }
    }

    private int classOf(char c) {
        if (c < 128) {
            return asciiClass[c];
        }
        int i = Arrays.binarySearch(wideChars, c);
        return i >= 0 ? wideClass[i] : 0;
    }

    private int next(int s, char c) {
        int cls = classOf(c);
        if (packed != null) {
            int v = packed[s * classCount + cls];
            return stateAt(v < 0 ? ~v : v);
        }
        return step(s, cls);
    }

    /** Goto-with-failure step; amortized constant because every failure shortens the match. */
    private int step(int s, int cls) {
        while (true) {
            int t = child(s, cls);
            if (t >= 0) {
                return t;
            }
            if (s == 0) {
                return 0;
            }
            s = fail[s];
        }
    }

    private int child(int s, int cls) {
        if (cls == 0) {
            return -1;
        }
        int lo = edgeStart[s];
        int hi = edgeStart[s + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = edgeClass[mid];
            if (c < cls) {
                lo = mid + 1;
            } else if (c > cls) {
                hi = mid - 1;
            } else {
                return edgeTarget[mid];
            }
        }
        return -1;
    }

    private static int findChild(int[] arr, int n, int cls) {
        for (int i = 0; i < n; i++) {
            if (arr[2 * i] == cls) {
                return arr[2 * i + 1];
            }
        }
        return -1;
    }

    /** One occurrence of a pattern: its id and the half-open range {@code [start, end)} in the text. */
    public static final class Match {
        private final int id;
        private final int start;
        private final int end;

        Match(int id, int start, int end) {
            this.id = id;
            this.start = start;
            this.end = end;
        }

        /** The pattern id. */
        public int id() {
            return id;
        }

        /** Index of the first char of the occurrence in the scanned text. */
        public int start() {
            return start;
        }

        /** Index just past the occurrence in the scanned text. */
        public int end() {
            return end;
        }

        @Override
        public String toString() {
            return "Match[id=" + id + ", " + start + ".." + end + "]";
        }
    }
}

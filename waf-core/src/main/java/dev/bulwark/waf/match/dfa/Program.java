package dev.bulwark.waf.match.dfa;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Thompson NFA over code points, with its input alphabet reduced to equivalence classes. It is
 * immutable once built and shared by all threads; the lazily built DFA lives in {@link DfaCache}.
 *
 * <p>The program starts with the loop {@code (?s:.)*?} so that one left-to-right pass finds a
 * match starting anywhere (unanchored search).
 */
final class Program {

    static final int CHAR = 0;
    static final int SPLIT = 1;
    static final int EMPTY = 2;
    static final int MATCH = 3;

    /** Patterns expanding past this many instructions (large counted repetitions) are refused. */
    static final int MAX_INSTRUCTIONS = 50_000;

    final int[] op;
    final int[] out;
    /** SPLIT: second branch; CHAR: set id; EMPTY: assertion bit ({@link Node#BEGIN_LINE}...). */
    final int[] arg;
    final int start;
    final int size;

    /** For each set id, the equivalence classes it contains, as a bit set. */
    final long[][] setClasses;
    final int numClasses;
    final boolean[] classIsWord;
    final boolean[] classIsNewline;
    /** Class of each ASCII char. */
    final int[] asciiClass;
    /** Interval starts over the whole code point range, and the class of each interval. */
    final int[] intervalStart;
    final int[] intervalClass;

    private Program(Builder b, int start) {
        this.op = Arrays.copyOf(b.op, b.n);
        this.out = Arrays.copyOf(b.out, b.n);
        this.arg = Arrays.copyOf(b.arg, b.n);
        this.start = start;
        this.size = b.n;

        // Alphabet reduction: cut the code point space at every range boundary of every set
        // (and around word characters and '\n', which assertions look at), then merge intervals
        // that every set treats alike.
        List<CharSet> sets = b.sets;
        int[] bounds = new int[64];
        int nb = 0;
        int[] extra = {0, '\n', '\n' + 1, '0', '9' + 1, 'A', 'Z' + 1, '_', '_' + 1, 'a', 'z' + 1, 128};
        for (int x : extra) {
            bounds = push(bounds, nb++, x);
        }
        for (CharSet s : sets) {
            for (int i = 0; i < s.ranges.length; i += 2) {
                bounds = push(bounds, nb++, s.ranges[i]);
                if (s.ranges[i + 1] < CharSet.MAX_CP) {
                    bounds = push(bounds, nb++, s.ranges[i + 1] + 1);
                }
            }
        }
        Arrays.sort(bounds, 0, nb);
        int distinct = 0;
        for (int i = 0; i < nb; i++) {
            if (distinct == 0 || bounds[i] != bounds[distinct - 1]) {
                bounds[distinct++] = bounds[i];
            }
        }
        int[] starts = Arrays.copyOf(bounds, distinct);
        int words = (sets.size() + 2 + 63) >>> 6;
        long[][] sig = new long[starts.length][words];
        for (int s = 0; s < sets.size(); s++) {
            int[] r = sets.get(s).ranges;
            for (int i = 0; i < r.length; i += 2) {
                int k = Arrays.binarySearch(starts, r[i]);
                for (; k < starts.length && starts[k] <= r[i + 1]; k++) {
                    sig[k][s >>> 6] |= 1L << s;
                }
            }
        }
        int wordBit = sets.size();
        int nlBit = sets.size() + 1;
        for (int k = 0; k < starts.length; k++) {
            int c = starts[k];
            if (isWord(c)) {
                sig[k][wordBit >>> 6] |= 1L << wordBit;
            }
            if (c == '\n') {
                sig[k][nlBit >>> 6] |= 1L << nlBit;
            }
        }
        Map<Sig, Integer> classes = new HashMap<>();
        int[] intervalCls = new int[starts.length];
        for (int k = 0; k < starts.length; k++) {
            intervalCls[k] = classes.computeIfAbsent(new Sig(sig[k]), x -> classes.size());
        }
        this.numClasses = classes.size();
        this.intervalStart = starts;
        this.intervalClass = intervalCls;
        this.classIsWord = new boolean[numClasses];
        this.classIsNewline = new boolean[numClasses];
        this.setClasses = new long[sets.size()][(numClasses + 63) >>> 6];
        for (int k = 0; k < starts.length; k++) {
            int cls = intervalCls[k];
            classIsWord[cls] = isWord(starts[k]);
            classIsNewline[cls] = starts[k] == '\n';
            for (int s = 0; s < sets.size(); s++) {
                if ((sig[k][s >>> 6] & (1L << s)) != 0) {
                    setClasses[s][cls >>> 6] |= 1L << cls;
                }
            }
        }
        this.asciiClass = new int[128];
        for (int c = 0; c < 128; c++) {
            asciiClass[c] = classOfSlow(c);
        }
    }

    private static int[] push(int[] a, int n, int v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
        }
        a[n] = v;
        return a;
    }

    static boolean isWord(int c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
    }

    int classOf(int cp) {
        return cp < 128 ? asciiClass[cp] : classOfSlow(cp);
    }

    private int classOfSlow(int cp) {
        int lo = 0;
        int hi = intervalStart.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (intervalStart[mid] <= cp) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return intervalClass[lo];
    }

    boolean setHasClass(int set, int cls) {
        return (setClasses[set][cls >>> 6] & (1L << cls)) != 0;
    }

    /** Compiles a (trimmed) tree into a program with the unanchored-search prefix loop. */
    static Program compile(Node n) {
        Builder b = new Builder();
        int match = b.inst(MATCH, -1, 0);
        int entry = b.compile(n, match);
        // U: split(entry, A); A: any char -> U. Entry first, then the loop.
        int u = b.inst(SPLIT, entry, -1);
        int a = b.inst(CHAR, u, b.setId(CharSet.ANY));
        b.arg[u] = a;
        return new Program(b, u);
    }

    private static final class Sig {
        final long[] bits;
        final int hash;

        Sig(long[] bits) {
            this.bits = bits;
            this.hash = Arrays.hashCode(bits);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sig && Arrays.equals(bits, ((Sig) o).bits);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Builds instructions back to front: each fragment is compiled knowing its successor. */
    private static final class Builder {
        int[] op = new int[64];
        int[] out = new int[64];
        int[] arg = new int[64];
        int n;
        final List<CharSet> sets = new java.util.ArrayList<>();
        final Map<CharSet, Integer> setIds = new HashMap<>();

        int inst(int o, int next, int a) {
            if (n == MAX_INSTRUCTIONS) {
                throw new UnsupportedRegexException("more than " + MAX_INSTRUCTIONS + " NFA instructions");
            }
            if (n == op.length) {
                op = Arrays.copyOf(op, n * 2);
                out = Arrays.copyOf(out, n * 2);
                arg = Arrays.copyOf(arg, n * 2);
            }
            op[n] = o;
            out[n] = next;
            arg[n] = a;
            return n++;
        }

        int setId(CharSet s) {
            return setIds.computeIfAbsent(s, x -> {
                sets.add(x);
                return sets.size() - 1;
            });
        }

        int compile(Node node, int next) {
            switch (node.kind) {
                case Node.EMPTY:
                    return next;
                case Node.CHARS:
                    if (node.set.isEmpty()) {
                        // Matches nothing: a CHAR whose set has no class never steps.
                        return inst(CHAR, next, setId(CharSet.EMPTY));
                    }
                    return inst(CHAR, next, setId(node.set));
                case Node.ASSERT:
                    return inst(EMPTY, next, node.assertion);
                case Node.CONCAT: {
                    int e = next;
                    for (int i = node.subs.size() - 1; i >= 0; i--) {
                        e = compile(node.subs.get(i), e);
                    }
                    return e;
                }
                case Node.ALT: {
                    int e = compile(node.subs.get(node.subs.size() - 1), next);
                    for (int i = node.subs.size() - 2; i >= 0; i--) {
                        e = inst(SPLIT, compile(node.subs.get(i), next), e);
                    }
                    return e;
                }
                case Node.REPEAT:
                    return compileRepeat(node.sub(), node.min, node.max, next);
                default:
                    throw new IllegalStateException("node kind " + node.kind);
            }
        }

        private int compileRepeat(Node sub, int min, int max, int next) {
            int e;
            if (max < 0) {
                // x{min,}: (min-1) copies then x+, or x* when min is 0. The loop split is created
                // first and patched once the body (which jumps back to it) exists.
                int loop = inst(SPLIT, -1, next);
                int body = compile(sub, loop);
                out[loop] = body;
                e = min == 0 ? loop : body;
                min = Math.max(0, min - 1);
            } else {
                // x{min,max}: optional copies nested from the innermost, each may exit to next.
                e = next;
                for (int k = 0; k < max - min; k++) {
                    e = inst(SPLIT, compile(sub, e), next);
                }
            }
            for (int k = 0; k < min; k++) {
                e = compile(sub, e);
            }
            return e;
        }
    }
}

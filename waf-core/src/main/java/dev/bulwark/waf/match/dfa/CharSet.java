package dev.bulwark.waf.match.dfa;

import java.util.Arrays;

/**
 * An immutable set of code points as sorted, disjoint, non-adjacent ranges {@code [lo0, hi0, lo1,
 * hi1, ...]}. Equality is by content, so identical classes of a pattern share one NFA set id.
 */
final class CharSet {

    static final int MAX_CP = 0x10FFFF;

    static final CharSet EMPTY = new CharSet(new int[0]);
    static final CharSet ANY = new CharSet(new int[] {0, MAX_CP});
    static final CharSet ANY_BUT_NL = new CharSet(new int[] {0, '\n' - 1, '\n' + 1, MAX_CP});

    /** Sorted, disjoint, non-adjacent {@code lo, hi} pairs. */
    final int[] ranges;
    private final int hash;

    private CharSet(int[] ranges) {
        this.ranges = ranges;
        this.hash = Arrays.hashCode(ranges);
    }

    static CharSet of(int c) {
        return new CharSet(new int[] {c, c});
    }

    static CharSet range(int lo, int hi) {
        return new CharSet(new int[] {lo, hi});
    }

    boolean contains(int c) {
        // Binary search over the pair starts.
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (c < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (c > ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return ranges.length == 0;
    }

    /** The complement within {@code [0, 0x10FFFF]}. */
    CharSet negate() {
        Builder b = new Builder();
        int next = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] > next) {
                b.add(next, ranges[i] - 1);
            }
            next = ranges[i + 1] + 1;
        }
        if (next <= MAX_CP) {
            b.add(next, MAX_CP);
        }
        return b.build();
    }

    /** This set closed under RE2J's simple case folding (see {@link CaseFold}). */
    CharSet fold() {
        Builder b = new Builder();
        b.addSet(this);
        for (int i = 0; i < ranges.length; i += 2) {
            CaseFold.addFolded(ranges[i], ranges[i + 1], b);
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharSet && hash == ((CharSet) o).hash && Arrays.equals(ranges, ((CharSet) o).ranges);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ranges.length; i += 2) {
            sb.append(Integer.toHexString(ranges[i]));
            if (ranges[i + 1] != ranges[i]) {
                sb.append('-').append(Integer.toHexString(ranges[i + 1]));
            }
            sb.append(i + 2 < ranges.length ? " " : "");
        }
        return sb.append(']').toString();
    }

    /** Collects ranges in any order; {@link #build()} sorts and merges them. */
    static final class Builder {
        private int[] buf = new int[16];
        private int n;

        Builder add(int lo, int hi) {
            if (lo > hi) {
                return this;
            }
            if (n + 2 > buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[n++] = lo;
            buf[n++] = hi;
            return this;
        }

        Builder add(int c) {
            return add(c, c);
        }

        Builder addSet(CharSet s) {
            for (int i = 0; i < s.ranges.length; i += 2) {
                add(s.ranges[i], s.ranges[i + 1]);
            }
            return this;
        }

        CharSet build() {
            int pairs = n / 2;
            long[] packed = new long[pairs];
            for (int i = 0; i < pairs; i++) {
                packed[i] = ((long) buf[2 * i] << 32) | (buf[2 * i + 1] & 0xFFFFFFFFL);
            }
            Arrays.sort(packed);
            int[] out = new int[n];
            int m = 0;
            for (long p : packed) {
                int lo = (int) (p >>> 32);
                int hi = (int) p;
                if (m > 0 && lo <= out[m - 1] + 1) {
                    out[m - 1] = Math.max(out[m - 1], hi);
                } else {
                    out[m++] = lo;
                    out[m++] = hi;
                }
            }
            return new CharSet(m == out.length ? out : Arrays.copyOf(out, m));
        }
    }
}

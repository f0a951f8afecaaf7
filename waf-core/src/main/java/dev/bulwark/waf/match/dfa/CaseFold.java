package dev.bulwark.waf.match.dfa;

import java.util.Arrays;

/**
 * Simple case folding as RE2J 1.8 applies it under {@code (?i)}.
 *
 * <p>RE2J folds a code point to the members of its orbit, built from {@code java.lang.Character}'s
 * lower/upper mappings plus RE2J's own table of larger orbits (K, k and the Kelvin sign; S, s and
 * long s; ...), and only for code points in {@code [0x41, 0x1044F]}. Connecting every code point
 * in that range to its Java lower-, upper- and title-case mappings yields exactly RE2J's orbits on
 * Java 17 except for three known quirks, handled here: dotted/dotless I ({@code U+0130},
 * {@code U+0131}) fold to nothing in RE2J; the Cyrillic small-letter variants
 * {@code U+1C80..U+1C88} are not in RE2J's orbits (their fold chains do not cycle, so they are
 * refused as unsupported); nothing above {@code U+1044F} folds. {@code CaseFoldTest} checks the
 * equivalence against RE2J for every foldable code point on the running JVM.
 */
final class CaseFold {

    static final int MIN_FOLD = 0x41;
    static final int MAX_FOLD = 0x1044F;
    private static final int ODD_LO = 0x1C80;
    private static final int ODD_HI = 0x1C88;

    private CaseFold() {
    }

    /** Adds the fold orbits of every code point in {@code [lo, hi]} to {@code out}. */
    static void addFolded(int lo, int hi, CharSet.Builder out) {
        if (lo <= MIN_FOLD && hi >= MAX_FOLD) {
            return; // the range already holds every code point folding can reach
        }
        lo = Math.max(lo, MIN_FOLD);
        hi = Math.min(hi, MAX_FOLD);
        if (lo > hi) {
            return;
        }
        if (lo <= ODD_HI && hi >= ODD_LO) {
            throw new UnsupportedRegexException("case folding of U+1C80..U+1C88");
        }
        int[] cps = Tables.CODE_POINTS;
        int i = Arrays.binarySearch(cps, lo);
        if (i < 0) {
            i = -i - 1;
        }
        for (; i < cps.length && cps[i] <= hi; i++) {
            for (int m : Tables.ORBITS[Tables.ORBIT_OF[i]]) {
                out.add(m);
            }
        }
    }

    /** The orbit of {@code c} including {@code c}; a single element when it does not fold. */
    static int[] orbit(int c) {
        if (c >= ODD_LO && c <= ODD_HI) {
            throw new UnsupportedRegexException("case folding of U+1C80..U+1C88");
        }
        int i = Arrays.binarySearch(Tables.CODE_POINTS, c);
        return i < 0 ? new int[] {c} : Tables.ORBITS[Tables.ORBIT_OF[i]].clone();
    }

    private static boolean excluded(int c) {
        return c == 0x130 || c == 0x131 || (c >= ODD_LO && c <= ODD_HI) || c < MIN_FOLD || c > MAX_FOLD;
    }

    /** Built on first use (a few milliseconds): only {@code (?i)} patterns need it. */
    private static final class Tables {
        /** Sorted code points whose orbit has more than one member. */
        static final int[] CODE_POINTS;
        /** For each entry of {@link #CODE_POINTS}, the index of its orbit. */
        static final int[] ORBIT_OF;
        /** Orbit members, sorted. */
        static final int[][] ORBITS;

        static {
            int n = MAX_FOLD + 1;
            int[] parent = new int[n];
            for (int c = 0; c < n; c++) {
                parent[c] = c;
            }
            for (int c = MIN_FOLD; c <= MAX_FOLD; c++) {
                if (excluded(c)) {
                    continue;
                }
                union(parent, c, Character.toLowerCase(c));
                union(parent, c, Character.toUpperCase(c));
                union(parent, c, Character.toTitleCase(c));
            }
            int[] size = new int[n];
            for (int c = MIN_FOLD; c <= MAX_FOLD; c++) {
                size[find(parent, c)]++;
            }
            int count = 0;
            for (int c = MIN_FOLD; c <= MAX_FOLD; c++) {
                if (size[find(parent, c)] > 1) {
                    count++;
                }
            }
            int[] cps = new int[count];
            int[] orbitOf = new int[count];
            int[] rootOrbit = new int[n];
            Arrays.fill(rootOrbit, -1);
            int orbits = 0;
            int k = 0;
            for (int c = MIN_FOLD; c <= MAX_FOLD; c++) {
                int r = find(parent, c);
                if (size[r] > 1) {
                    if (rootOrbit[r] < 0) {
                        rootOrbit[r] = orbits++;
                    }
                    cps[k] = c;
                    orbitOf[k++] = rootOrbit[r];
                }
            }
            int[][] members = new int[orbits][];
            int[] fill = new int[orbits];
            for (int i = 0; i < count; i++) {
                int o = orbitOf[i];
                if (members[o] == null) {
                    members[o] = new int[size[find(parent, cps[i])]];
                }
                members[o][fill[o]++] = cps[i];
            }
            CODE_POINTS = cps;
            ORBIT_OF = orbitOf;
            ORBITS = members;
        }

        private static void union(int[] parent, int a, int b) {
            if (b == a || b < 0 || b >= parent.length || excluded(b)) {
                return;
            }
            int x = find(parent, a);
            int y = find(parent, b);
            if (x != y) {
                parent[x] = y;
            }
        }

        private static int find(int[] parent, int x) {
            while (parent[x] != x) {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        }
    }
}

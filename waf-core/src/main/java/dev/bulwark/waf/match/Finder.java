package dev.bulwark.waf.match;

import java.util.function.IntPredicate;

/**
 * Finds a fixed needle in texts in linear time. Short needles use {@link String#indexOf}, whose
 * naive worst case is bounded by {@code SHORT} comparisons per position (still linear); longer
 * needles use Knuth-Morris-Pratt so that a hostile text cannot make the search quadratic.
 * Immutable and thread-safe.
 */
final class Finder {

    /** Needle length up to which the JIT-intrinsic {@code indexOf} is used. */
    static final int SHORT = 32;

    private final String needle;
    /** KMP failure function, or null for short needles. */
    private final int[] failure;

    private Finder(String needle) {
        this.needle = needle;
        this.failure = needle.length() > SHORT ? failureOf(needle) : null;
    }

    static Finder of(String needle) {
        return new Finder(needle);
    }

    /** Whether {@code needle} occurs in {@code text}, for one-off needles (macros, @within). */
    static boolean contains(String text, String needle) {
        if (needle.length() > text.length()) {
            return false;
        }
        return of(needle).in(text);
    }

    String needle() {
        return needle;
    }

    /** Whether the needle occurs in {@code text}. */
    boolean in(String text) {
        return anyMatch(text, start -> true);
    }

    /**
     * Whether some occurrence of the needle in {@code text}, given by its start index, is
     * accepted by {@code accept}. Occurrences are visited left to right, overlapping ones too.
     */
    boolean anyMatch(String text, IntPredicate accept) {
        int m = needle.length();
        int n = text.length();
        if (m > n) {
            return false;
        }
        if (m == 0) {
            for (int i = 0; i <= n; i++) {
                if (accept.test(i)) {
                    return true;
                }
            }
            return false;
        }
        if (failure == null) {
            // Each indexOf scans forward from the last hit, so the total work is O(n * SHORT).
            int from = 0;
            while (from <= n - m) {
                int at = text.indexOf(needle, from);
                if (at < 0) {
                    return false;
                }
                if (accept.test(at)) {
                    return true;
                }
                from = at + 1;
            }
            return false;
        }
        int k = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            while (k > 0 && needle.charAt(k) != c) {
                k = failure[k - 1];
            }
            if (needle.charAt(k) == c) {
                k++;
            }
            if (k == m) {
                if (accept.test(i - m + 1)) {
                    return true;
                }
                k = failure[k - 1];
            }
        }
        return false;
    }

    private static int[] failureOf(String p) {
        int[] f = new int[p.length()];
        int k = 0;
        for (int i = 1; i < p.length(); i++) {
            char c = p.charAt(i);
            while (k > 0 && p.charAt(k) != c) {
                k = f[k - 1];
            }
            if (p.charAt(k) == c) {
                k++;
            }
            f[i] = k;
        }
        return f;
    }
}

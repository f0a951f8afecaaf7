package dev.bulwark.waf.internal;

import dev.bulwark.waf.match.prefilter.LiteralPrefilter;

import java.util.BitSet;

/**
 * A value as a transaction sees it, with what the rules have derived from it so far: its
 * {@link CharMask}, the result of each transformation function applied to it (itself a
 * {@code Derived}, so chains share every common step), and its prefilter candidates.
 *
 * <p>Rules run dozens of transformation chains over every value, mostly made of the same few
 * functions; keeping their results on the value turns each repeated step into an array load
 * instead of a hash lookup or a recomputation. Belongs to one transaction (not thread-safe).
 */
final class Derived {

    final String text;
    /**
     * The value whose prefilter scan stands for this one's: itself; the input of a step that
     * only changed the case of ASCII letters (the scan folds case: same candidates); or the
     * input of a step that only cut characters off its ends (every literal in a substring is in
     * the whole, so the whole's candidates are a superset, which is all a filter needs).
     */
    final Derived scanSource;
    private long mask = -1;
    private Derived[] applied;
    /** Results of whole transformation chains over this value, by chain id (short values only). */
    private Derived[] byChain;
    private BitSet candidates;

    Derived(String text) {
        this.text = text;
        this.scanSource = this;
    }

    private Derived(String text, Derived scanSource) {
        this.text = text;
        this.scanSource = scanSource == null ? this : scanSource;
    }

    /** Sets the kinds when they follow from the input's (see {@link CharMask#transfer}). */
    void knownMask(long m) {
        if (mask == -1) {
            mask = m;
        }
    }

    /** The kinds of characters in the text, computed once. */
    long mask() {
        long m = mask;
        if (m == -1) {
            m = CharMask.of(text);
            mask = m;
        }
        return m;
    }

    /** The memoised result of function {@code functionId}, or null. */
    Derived applied(int functionId) {
        Derived[] a = applied;
        return a == null ? null : a[functionId];
    }

    /**
     * The result of a function over this text. {@code caseOnly}: the function only changes the
     * case of letters, so for ASCII text the result shares this value's scan. {@code substring}:
     * the result is a substring of this text, which may use this value's scan as well.
     */
    Derived result(String out, boolean caseOnly, boolean substring) {
        if (out == null || out.equals(text)) {
            return this;
        }
        if (substring) {
            return new Derived(out, scanSource);
        }
        // The scan folds ASCII case, so a result that differs only in ASCII case (lowercase, or
        // cmdLine on a plain word) need not be scanned again.
        boolean sameScan = (mask() & CharMask.NON_ASCII) == 0
                && (caseOnly || out.length() == text.length() && out.equalsIgnoreCase(text));
        return new Derived(out, sameScan ? scanSource : null);
    }

    /** The memoised result of whole chain {@code chainId}, or null. */
    Derived chainResult(int chainId) {
        Derived[] c = byChain;
        return c == null ? null : c[chainId];
    }

    /** Keeps {@code result} as the outcome of whole chain {@code chainId}. */
    void rememberChain(int chainId, int chainCount, Derived result) {
        byChain = store(byChain, chainCount, chainId, result);
    }

    /** Keeps {@code result} as the outcome of function {@code functionId}. */
    void remember(int functionId, int functionCount, Derived result) {
        applied = store(applied, functionCount, functionId, result);
    }

    /** {@code table} (created with {@code size} slots when null) with {@code value} at {@code index}. */
    private static Derived[] store(Derived[] table, int size, int index, Derived value) {
        Derived[] t = table == null ? new Derived[size] : table;
        t[index] = value;
        return t;
    }

    /**
     * The prefilter candidates of the text (the filtered patterns whose literal requirement it
     * satisfies), from {@link #scanSource}'s scan, which is equivalent. Read-only.
     */
    BitSet candidates(Engine engine, LiteralPrefilter.Scanner scanner) {
        Derived s = scanSource;
        BitSet c = s.candidates;
        if (c == null) {
            c = engine.candidates(s.text, scanner);
            s.candidates = c;
        }
        return c;
    }
}

package dev.bulwark.waf.match.dfa;

import java.util.ArrayList;
import java.util.List;

/** A parsed regular expression; captures and greediness are dropped (a yes/no match needs neither). */
final class Node {

    static final int EMPTY = 0;
    static final int CHARS = 1;
    static final int ASSERT = 2;
    static final int CONCAT = 3;
    static final int ALT = 4;
    static final int REPEAT = 5;

    /** Empty-width assertions; the same bits are used for the context flags of a DFA step. */
    static final int BEGIN_LINE = 1;
    static final int END_LINE = 2;
    static final int BEGIN_TEXT = 4;
    static final int END_TEXT = 8;
    static final int WORD_BOUNDARY = 16;
    static final int NO_WORD_BOUNDARY = 32;

    final int kind;
    final CharSet set;
    final int assertion;
    final List<Node> subs;
    final int min;
    /** -1: unbounded. */
    final int max;

    private Node(int kind, CharSet set, int assertion, List<Node> subs, int min, int max) {
        this.kind = kind;
        this.set = set;
        this.assertion = assertion;
        this.subs = subs;
        this.min = min;
        this.max = max;
    }

    static Node empty() {
        return new Node(EMPTY, null, 0, List.of(), 0, 0);
    }

    static Node chars(CharSet set) {
        return new Node(CHARS, set, 0, List.of(), 0, 0);
    }

    static Node assertion(int kind) {
        return new Node(ASSERT, null, kind, List.of(), 0, 0);
    }

    static Node concat(List<Node> subs) {
        if (subs.isEmpty()) {
            return empty();
        }
        return subs.size() == 1 ? subs.get(0) : new Node(CONCAT, null, 0, List.copyOf(subs), 0, 0);
    }

    static Node alt(List<Node> subs) {
        return subs.size() == 1 ? subs.get(0) : new Node(ALT, null, 0, List.copyOf(subs), 0, 0);
    }

    static Node repeat(Node sub, int min, int max) {
        return new Node(REPEAT, null, 0, List.of(sub), min, max);
    }

    Node sub() {
        return subs.get(0);
    }

    /** Whether this matches the empty string regardless of context (no assertion involved). */
    boolean freeEmpty() {
        switch (kind) {
            case EMPTY:
                return true;
            case CONCAT:
                for (Node s : subs) {
                    if (!s.freeEmpty()) {
                        return false;
                    }
                }
                return true;
            case ALT:
                for (Node s : subs) {
                    if (s.freeEmpty()) {
                        return true;
                    }
                }
                return false;
            case REPEAT:
                return min == 0 || sub().freeEmpty();
            default:
                return false;
        }
    }

    /**
     * The pattern that matches the reversed strings, for scanning a text backwards: sequences
     * are reversed and the assertions looking left swap with those looking right ({@code ^} with
     * {@code $}, {@code \A} with {@code \z}; word boundaries look both ways).
     */
    Node reverse() {
        switch (kind) {
            case ASSERT: {
                int a = assertion;
                int swapped = a == BEGIN_LINE ? END_LINE : a == END_LINE ? BEGIN_LINE
                        : a == BEGIN_TEXT ? END_TEXT : a == END_TEXT ? BEGIN_TEXT : a;
                return assertion(swapped);
            }
            case CONCAT: {
                List<Node> out = new ArrayList<>(subs.size());
                for (int i = subs.size() - 1; i >= 0; i--) {
                    out.add(subs.get(i).reverse());
                }
                return concat(out);
            }
            case ALT: {
                List<Node> out = new ArrayList<>(subs.size());
                for (Node s : subs) {
                    out.add(s.reverse());
                }
                return alt(out);
            }
            case REPEAT:
                return repeat(sub().reverse(), min, max);
            default:
                return this;
        }
    }

    /**
     * Drops what an unanchored yes/no search does not need at the end of the pattern: if
     * {@code A B} matches then {@code A} does, and if {@code A} matches and {@code B} can match
     * the empty string unconditionally then {@code A B} does. So trailing free-empty parts go,
     * {@code x+} becomes {@code x} and {@code x{n,m}} becomes {@code x{n}}; this keeps counted
     * repetitions such as {@code [^;]{1,255}} from blowing up the NFA and the DFA.
     */
    Node trimEnd(boolean atEnd) {
        switch (kind) {
            case CONCAT: {
                List<Node> out = new ArrayList<>(subs);
                if (atEnd) {
                    while (!out.isEmpty() && out.get(out.size() - 1).freeEmpty()) {
                        out.remove(out.size() - 1);
                    }
                    if (out.isEmpty()) {
                        return empty();
                    }
                    out.set(out.size() - 1, out.get(out.size() - 1).trimEnd(true));
                } else {
                    while (!out.isEmpty() && out.get(0).freeEmpty()) {
                        out.remove(0);
                    }
                    if (out.isEmpty()) {
                        return empty();
                    }
                    out.set(0, out.get(0).trimEnd(false));
                }
                return concat(out);
            }
            case ALT: {
                List<Node> out = new ArrayList<>(subs.size());
                for (Node s : subs) {
                    out.add(s.trimEnd(atEnd));
                }
                return alt(out);
            }
            case REPEAT:
                if (min == 0) {
                    return empty();
                }
                if (min == 1) {
                    return sub().trimEnd(atEnd);
                }
                return max == min ? this : repeat(sub(), min, min);
            default:
                return this;
        }
    }
}

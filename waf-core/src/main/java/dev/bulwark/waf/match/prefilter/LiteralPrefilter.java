package dev.bulwark.waf.match.prefilter;

import dev.bulwark.waf.match.AhoCorasick;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides cheaply which of many regexes can possibly match a value, so that only those run.
 * Each regex gets a requirement over literal atoms (see the package documentation); one
 * {@link #scan} of the value with a single automaton over all atoms of all regexes finds which
 * atoms occur, and {@link #mayMatch} tells whether a regex's requirement holds for that scan.
 *
 * <p>Guarantee: if RE2J finds a match of regex {@code id} in value {@code v}, then
 * {@code mayMatch(id, scan(v))} is true. The converse does not hold: true only means "run it".
 *
 * <p>Requirements are evaluated bottom-up, as FilteredRE2 does: every found atom advances the
 * AND/OR nodes above it, so the work per value is proportional to the atoms it contains, not
 * to the size of the formulas (some are ORs of hundreds of command names).
 *
 * <p>Immutable and thread-safe once built; a {@link Scan} and a {@link Scanner} belong to one
 * thread (one transaction) at a time.
 */
public final class LiteralPrefilter {

    private static final int[] NONE = new int[0];

    private final AhoCorasick automaton;
    private final int atomCount;
    private final int patternCount;
    private final String[] descriptions;
    /** Per pattern: its requirement is ANY (always run). */
    private final boolean[] unfiltered;
    /** Per pattern: character sets of which a value must hold one each (see {@link #requiredCharacterSets}). */
    private final String[][] requiredSets;
    private final int filteredCount;
    /** Per atom: patterns whose whole requirement is that atom. */
    private final int[][] patternsOfAtom;
    /** Per atom: the AND/OR nodes that have it as a child. */
    private final int[][] nodesOfAtom;
    /** Per node: children that must hold (AND: all of them, OR: 1). */
    private final int[] need;
    /**
     * Per AND node: its single-character atom children, or null. They are checked once the
     * node's longer children all hold instead of being counted: characters such as {@code (}
     * sit under a hundred {@code AND("sleep", "(")}-like nodes, and every value holding one
     * would otherwise advance them all.
     */
    private final int[][] checks;
    /** Per node: the parent node, or -1 for a pattern's root. */
    private final int[] parent;
    /** Per node: the pattern whose root it is, or -1. */
    private final int[] rootOf;

    private LiteralPrefilter(AhoCorasick automaton, int atomCount, String[] descriptions, boolean[] unfiltered,
                             String[][] requiredSets, int[][] patternsOfAtom, int[][] nodesOfAtom, int[] need, int[][] checks, int[] parent,
                             int[] rootOf) {
        this.automaton = automaton;
        this.atomCount = atomCount;
        this.patternCount = descriptions.length;
        this.descriptions = descriptions;
        this.unfiltered = unfiltered;
        this.requiredSets = requiredSets;
        this.patternsOfAtom = patternsOfAtom;
        this.nodesOfAtom = nodesOfAtom;
        this.need = need;
        this.checks = checks;
        this.parent = parent;
        this.rootOf = rootOf;
        int f = 0;
        for (boolean u : unfiltered) {
            f += u ? 0 : 1;
        }
        this.filteredCount = f;
    }

    /** A new builder with the default minimum atom length (3). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scans {@code value} once and returns what it may match. Never throws on odd input. Sets up
     * scratch space for the one call: to scan many values, keep a {@link #newScanner()}.
     */
    public Scan scan(CharSequence value) {
        return newScanner().scan(value);
    }

    /** Scratch space for scanning many values on one thread without allocating per value. */
    public Scanner newScanner() {
        return new Scanner(this);
    }

    /**
     * Scans values and returns their candidate sets directly (the filtered patterns whose
     * requirement the value satisfies), reusing its buffers between calls. One thread at a time.
     */
    public static final class Scanner {
        private final LiteralPrefilter owner;
        private final AhoCorasick.Scanner ac;
        private final BitSet atoms = new BitSet();
        /** Satisfied children per node; only the nodes listed in {@code touched} are non-zero. */
        private final int[] count;
        private int[] touched = new int[64];

        private Scanner(LiteralPrefilter owner) {
            this.owner = owner;
            this.ac = owner.automaton.scanner();
            this.count = new int[owner.need.length];
        }

        /** As {@link LiteralPrefilter#scan}, with this scanner's buffers. */
        public Scan scan(CharSequence value) {
            return new Scan(owner, candidates(value));
        }

        /** The candidate set of {@code value}: a new set the caller may keep. */
        public BitSet candidates(CharSequence value) {
            BitSet c = new BitSet(owner.patternCount);
            if (owner.atomCount == 0) {
                return c;
            }
            atoms.clear();
            ac.matches(value, atoms);
            int touchedCount = 0;
            for (int a = atoms.nextSetBit(0); a >= 0; a = atoms.nextSetBit(a + 1)) {
                for (int p : owner.patternsOfAtom[a]) {
                    c.set(p);
                }
                for (int node : owner.nodesOfAtom[a]) {
                    // Walk up while a node becomes satisfied; each node does so at most once.
                    int n = node;
                    while (n >= 0) {
                        int k = ++count[n];
                        if (k == 1) {
                            if (touchedCount == touched.length) {
                                touched = java.util.Arrays.copyOf(touched, touchedCount * 2);
                            }
                            touched[touchedCount++] = n;
                        }
                        if (k != owner.need[n] || !checked(owner.checks[n])) {
                            break;
                        }
                        int root = owner.rootOf[n];
                        if (root >= 0) {
                            c.set(root);
                        }
                        n = owner.parent[n];
                    }
                }
            }
            for (int i = 0; i < touchedCount; i++) {
                count[touched[i]] = 0;
            }
            return c;
        }

        private boolean checked(int[] atomIds) {
            if (atomIds != null) {
                for (int a : atomIds) {
                    if (!atoms.get(a)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /**
     * Whether regex {@code patternId} may match the value that {@code scan} came from.
     *
     * @throws IllegalArgumentException if the scan was made by another prefilter
     * @throws IndexOutOfBoundsException if the id is not one returned by {@link Builder#add}
     */
    public boolean mayMatch(int patternId, Scan scan) {
        if (scan.owner != this) {
            throw new IllegalArgumentException("scan belongs to another prefilter");
        }
        return unfiltered[patternId] || scan.candidates.get(patternId);
    }

    /** Whether the regex has a requirement at all; false means {@link #mayMatch} is always true. */
    public boolean isFiltered(int patternId) {
        return !unfiltered[patternId];
    }

    /**
     * Sets of characters (each as a string of distinct chars) such that a value the pattern may
     * match holds at least one character of every set, in its case-folded form. A coarse
     * consequence of the literal requirement that needs no scan: a caller that already knows
     * which kinds of characters a value holds can rule a pattern out at once. Letters, digits
     * and spaces never appear (nearly every value has them). Empty when nothing is required.
     */
    public List<String> requiredCharacterSets(int patternId) {
        return List.of(requiredSets[patternId]);
    }

    /** Human-readable requirement of a regex, such as {@code AND("union", "select")} or {@code ANY}. */
    public String describe(int patternId) {
        return descriptions[patternId];
    }

    /** Number of regexes added. */
    public int patternCount() {
        return patternCount;
    }

    /** Number of regexes with a requirement (not ANY). */
    public int filteredCount() {
        return filteredCount;
    }

    /** Number of distinct literal atoms in the automaton. */
    public int atomCount() {
        return atomCount;
    }

    /** Collects regexes; not thread-safe. */
    public static final class Builder {
        /** Per pattern: a regex (String) or a phrase list (List of String). */
        private final List<Object> patterns = new ArrayList<>();
        private int minAtomLength = 3;
        private boolean ignoreCommonCharacters;

        private Builder() {
        }

        /**
         * Atoms shorter than this weaken to "no requirement" (default 3): very short atoms occur
         * in almost every value and would only make the scan slower.
         */
        public Builder minAtomLength(int length) {
            if (length < 1) {
                throw new IllegalArgumentException("minAtomLength must be >= 1: " + length);
            }
            this.minAtomLength = length;
            return this;
        }

        /**
         * Whether single-character atoms that occur in nearly every value (ASCII letters and
         * digits, space, tab, {@code . , - _ /}) count as always present (default false). With
         * one-character atoms this keeps the selective ones ({@code <}, {@code |}, {@code '},
         * line breaks) while sparing every scan the work of the common ones.
         */
        public Builder ignoreCommonCharacters(boolean ignore) {
            this.ignoreCommonCharacters = ignore;
            return this;
        }

        /** Adds a regex in RE2 syntax and returns its pattern id (0, 1, 2, ... in order). */
        public int add(String regex) {
            patterns.add(Objects.requireNonNull(regex, "regex"));
            return patterns.size() - 1;
        }

        /**
         * Adds a pattern that matches when any of {@code phrases} occurs (case-insensitively),
         * as {@code @pm} does, and returns its pattern id. An empty list gives a pattern that
         * can never match.
         */
        public int addAnyOf(Collection<String> phrases) {
            List<String> copy = new ArrayList<>();
            for (String p : phrases) {
                copy.add(Objects.requireNonNull(p, "phrase"));
            }
            patterns.add(copy);
            return patterns.size() - 1;
        }

        /** Analyzes all regexes and builds the automaton and the requirement graph. */
        public LiteralPrefilter build() {
            RegexAnalyzer analyzer = new RegexAnalyzer(minAtomLength);
            Graph g = new Graph();
            String[] descriptions = new String[patterns.size()];
            boolean[] unfiltered = new boolean[patterns.size()];
            String[][] requiredSets = new String[patterns.size()][];
            for (int i = 0; i < descriptions.length; i++) {
                Object p = patterns.get(i);
                Formula f = p instanceof String rx ? analyzer.analyze(rx) : phrases((List<?>) p);
                if (ignoreCommonCharacters) {
                    f = withoutCommonAtoms(f);
                }
                descriptions[i] = f.toString();
                unfiltered[i] = f.kind == Formula.Kind.ALL;
                requiredSets[i] = f.requiredCharacterSets().toArray(new String[0]);
                if (f.kind == Formula.Kind.ATOM) {
                    g.atomPatterns(g.atom(f.atom)).add(i);
                } else if (f.kind == Formula.Kind.AND || f.kind == Formula.Kind.OR) {
                    g.add(f, -1, i);
                }
                // NONE: never a candidate; ALL: never consulted.
            }
            AhoCorasick ac = AhoCorasick.of(new ArrayList<>(g.atomIds.keySet()), true);
            return new LiteralPrefilter(ac, g.atomIds.size(), descriptions, unfiltered, requiredSets,
                    toArrays(g.patternsOfAtom), toArrays(g.nodesOfAtom), g.need.stream().mapToInt(Integer::intValue).toArray(),
                    g.checks.stream().map(l -> l == null ? null : l.stream().mapToInt(Integer::intValue).toArray())
                            .toArray(int[][]::new),
                    g.parent.stream().mapToInt(Integer::intValue).toArray(),
                    g.rootOf.stream().mapToInt(Integer::intValue).toArray());
        }

        /**
         * The formula with every atom that is a single ASCII letter or digit, space, tab or
         * common punctuation character ({@code . , - _ /}) taken as always present. Such atoms are in nearly every value,
         * so they filter nothing, yet the {@code \s} class alone sits in hundreds of AND/OR nodes
         * that every scanned value would then have to update. Rare single characters such as
         * {@code <}, {@code |} or a backtick stay: they are the best filters there are.
         */
        static Formula withoutCommonAtoms(Formula f) {
            switch (f.kind) {
                case ATOM:
                    return isCommon(f.atom) ? Formula.ALL : f;
                case AND:
                case OR: {
                    List<Formula> kids = new ArrayList<>(f.children.size());
                    for (Formula k : f.children) {
                        kids.add(withoutCommonAtoms(k));
                    }
                    return f.kind == Formula.Kind.AND ? Formula.and(kids, RegexAnalyzer.MAX_FORMULA)
                            : Formula.or(kids, RegexAnalyzer.MAX_FORMULA);
                }
                default:
                    return f;
            }
        }

        private static boolean isCommon(String atom) {
            if (atom.length() != 1) {
                return false;
            }
            char c = atom.charAt(0);
            // Line breaks, ':' and '=' stay: rare inside decoded values, and what CRLF, scheme
            // and attribute-injection signatures hinge on. So do non-ASCII letters.
            return c < 128 && Character.isLetterOrDigit(c) || " \t.,-_/".indexOf(c) >= 0;
        }

        private static Formula phrases(List<?> list) {
            List<Formula> atoms = new ArrayList<>();
            for (Object p : list) {
                String folded = AhoCorasick.foldString((String) p);
                // An empty phrase occurs everywhere: no requirement.
                atoms.add(folded.isEmpty() ? Formula.ALL : Formula.atom(folded));
            }
            return Formula.or(atoms, RegexAnalyzer.MAX_FORMULA);
        }

        private static int[][] toArrays(List<List<Integer>> lists) {
            int[][] out = new int[lists.size()][];
            for (int i = 0; i < out.length; i++) {
                List<Integer> l = lists.get(i);
                out[i] = l.isEmpty() ? NONE : l.stream().mapToInt(Integer::intValue).toArray();
            }
            return out;
        }
    }

    /** The requirement formulas of all patterns as one graph of AND/OR nodes over shared atoms. */
    private static final class Graph {
        final Map<String, Integer> atomIds = new LinkedHashMap<>();
        final List<List<Integer>> patternsOfAtom = new ArrayList<>();
        final List<List<Integer>> nodesOfAtom = new ArrayList<>();
        final List<Integer> need = new ArrayList<>();
        final List<List<Integer>> checks = new ArrayList<>();
        final List<Integer> parent = new ArrayList<>();
        final List<Integer> rootOf = new ArrayList<>();

        int atom(String text) {
            return atomIds.computeIfAbsent(text, k -> {
                patternsOfAtom.add(new ArrayList<>());
                nodesOfAtom.add(new ArrayList<>());
                return atomIds.size();
            });
        }

        List<Integer> atomPatterns(int atom) {
            return patternsOfAtom.get(atom);
        }

        /** Adds an AND/OR node (and its subtree) under {@code parentNode}; returns its id. */
        int add(Formula f, int parentNode, int pattern) {
            int id = need.size();
            need.add(f.kind == Formula.Kind.AND ? f.children.size() : 1);
            checks.add(null);
            parent.add(parentNode);
            rootOf.add(parentNode < 0 ? pattern : -1);
            boolean strongChild = false;
            for (Formula child : f.children) {
                strongChild |= child.kind != Formula.Kind.ATOM || child.atom.length() > 1;
            }
            for (Formula child : f.children) {
                switch (child.kind) {
                    case ATOM:
                        if (f.kind == Formula.Kind.AND && strongChild && child.atom.length() == 1) {
                            if (checks.get(id) == null) {
                                checks.set(id, new ArrayList<>());
                            }
                            checks.get(id).add(atom(child.atom));
                            need.set(id, need.get(id) - 1);
                        } else {
                            nodesOfAtom.get(atom(child.atom)).add(id);
                        }
                        break;
                    case AND:
                    case OR:
                        add(child, id, pattern);
                        break;
                    case ALL:
                        // Formulas are simplified: ALL only survives as the whole formula. Should
                        // one appear, an OR holding it always holds; an AND simply needs one less.
                        if (f.kind == Formula.Kind.AND) {
                            need.set(id, need.get(id) - 1);
                        } else {
                            need.set(id, 0);
                        }
                        break;
                    default:
                        // NONE: an AND holding it never holds; in an OR it adds nothing.
                        if (f.kind == Formula.Kind.AND) {
                            need.set(id, Integer.MAX_VALUE);
                        }
                        break;
                }
            }
            return id;
        }
    }

    /** The candidates of one scanned value; valid only with its prefilter. */
    public static final class Scan {
        private final LiteralPrefilter owner;
        private final BitSet candidates;

        private Scan(LiteralPrefilter owner, BitSet candidates) {
            this.owner = owner;
            this.candidates = candidates;
        }

        /** Number of filtered patterns the value may match. */
        public int candidateCount() {
            return candidates.cardinality();
        }

        @Override
        public String toString() {
            return "Scan" + candidates;
        }
    }
}

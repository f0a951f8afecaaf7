package dev.bulwark.waf.match.prefilter;

import dev.bulwark.waf.match.AhoCorasick;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides cheaply which of many regexes can possibly match a value, so that only those run.
 * Each regex gets a requirement over literal atoms (see the package documentation); one
 * {@link #scan} of the value with a single automaton over all atoms of all regexes finds which
 * atoms occur, and {@link #mayMatch} evaluates a regex's requirement against that scan.
 *
 * <p>Guarantee: if RE2J finds a match of regex {@code id} in value {@code v}, then
 * {@code mayMatch(id, scan(v))} is true. The converse does not hold: true only means "run it".
 *
 * <p>Immutable and thread-safe once built; a {@link Scan} memoises its candidate set and belongs to
 * one thread (one transaction) at a time.
 */
public final class LiteralPrefilter {

    private final AhoCorasick automaton;
    private final int atomCount;
    private final Node[] requirements;
    /**
     * Per atom: the patterns whose trigger set holds it. A pattern's trigger set is a small set
     * of atoms of which at least one must occur whenever its requirement holds, chosen to be as
     * rare as possible (the longest literals). A scan turns the atoms it found into the set of
     * candidate patterns once; every pattern outside it is rejected with one bit test, and only
     * candidates evaluate their whole formula (the FilteredRE2 way).
     */
    private final int[][] patternsByAtom;
    private final String[] descriptions;
    private final int filteredCount;

    private LiteralPrefilter(AhoCorasick automaton, int atomCount, Node[] requirements, String[] descriptions,
                             int[][] patternsByAtom) {
        this.automaton = automaton;
        this.atomCount = atomCount;
        this.requirements = requirements;
        this.patternsByAtom = patternsByAtom;
        this.descriptions = descriptions;
        int f = 0;
        for (Node n : requirements) {
            if (n.kind != Formula.Kind.ALL) {
                f++;
            }
        }
        this.filteredCount = f;
    }

    /** A new builder with the default minimum atom length (3). */
    public static Builder builder() {
        return new Builder();
    }

    /** Scans {@code value} once and returns the atoms it contains. Never throws on odd input. */
    public Scan scan(CharSequence value) {
        BitSet found = new BitSet(atomCount);
        if (atomCount > 0) {
            automaton.matches(value, found);
        }
        return new Scan(this, found);
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
        Node req = requirements[patternId];
        if (req.kind == Formula.Kind.ALL) {
            return true;
        }
        if (!scan.candidates().get(patternId)) {
            return false;
        }
        return req.eval(scan.atoms);
    }

    /**
     * Adds to {@code into} the ids of the filtered patterns that are candidates for the scanned
     * value: a filtered pattern outside the union of these sets over several values cannot match
     * any of them, so a caller can skip a whole collection of values with one bit test.
     */
    public void addCandidates(Scan scan, BitSet into) {
        if (scan.owner != this) {
            throw new IllegalArgumentException("scan belongs to another prefilter");
        }
        into.or(scan.candidates());
    }

    /**
     * The filtered patterns that are candidates for the scanned value (read-only; owned by the
     * scan): a filtered pattern outside it cannot match the value.
     */
    public BitSet candidates(Scan scan) {
        if (scan.owner != this) {
            throw new IllegalArgumentException("scan belongs to another prefilter");
        }
        return scan.candidates();
    }

    /** Whether the regex has a requirement at all; false means {@link #mayMatch} is always true. */
    public boolean isFiltered(int patternId) {
        return requirements[patternId].kind != Formula.Kind.ALL;
    }

    /** Human-readable requirement of a regex, such as {@code AND("union", "select")} or {@code ANY}. */
    public String describe(int patternId) {
        return descriptions[patternId];
    }

    /** Number of regexes added. */
    public int patternCount() {
        return requirements.length;
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
        private final List<Object> regexes = new ArrayList<>();
        private int minAtomLength = 3;

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

        /** Adds a regex in RE2 syntax and returns its pattern id (0, 1, 2, ... in order). */
        public int add(String regex) {
            regexes.add(Objects.requireNonNull(regex, "regex"));
            return regexes.size() - 1;
        }

        /**
         * Adds a pattern that matches when any of {@code phrases} occurs (case-insensitively),
         * as {@code @pm} does, and returns its pattern id. An empty list gives a pattern that
         * can never match.
         */
        public int addAnyOf(java.util.Collection<String> phrases) {
            List<String> copy = new ArrayList<>();
            for (String p : phrases) {
                copy.add(Objects.requireNonNull(p, "phrase"));
            }
            regexes.add(copy);
            return regexes.size() - 1;
        }

        /** Analyzes all regexes and builds the automaton. */
        public LiteralPrefilter build() {
            RegexAnalyzer analyzer = new RegexAnalyzer(minAtomLength);
            Map<String, Integer> atomIds = new LinkedHashMap<>();
            Node[] nodes = new Node[regexes.size()];
            String[] descriptions = new String[regexes.size()];
            for (int i = 0; i < nodes.length; i++) {
                Formula f = regexes.get(i) instanceof String rx ? analyzer.analyze(rx) : phrases(regexes.get(i));
                descriptions[i] = f.toString();
                nodes[i] = Node.compile(f, atomIds);
            }
            List<List<Integer>> byAtom = new ArrayList<>();
            for (int i = 0; i < atomIds.size(); i++) {
                byAtom.add(new ArrayList<>());
            }
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i].kind == Formula.Kind.ALL || nodes[i].kind == Formula.Kind.NONE) {
                    continue;
                }
                for (int atom : triggers(nodes[i], atomCosts(atomIds))) {
                    byAtom.get(atom).add(i);
                }
            }
            int[][] patternsByAtom = new int[byAtom.size()][];
            for (int i = 0; i < patternsByAtom.length; i++) {
                patternsByAtom[i] = byAtom.get(i).stream().mapToInt(Integer::intValue).toArray();
            }
            AhoCorasick ac = AhoCorasick.of(new ArrayList<>(atomIds.keySet()), true);
            return new LiteralPrefilter(ac, atomIds.size(), nodes, descriptions, patternsByAtom);
        }

        private static Formula phrases(Object list) {
            List<Formula> atoms = new ArrayList<>();
            for (Object p : (List<?>) list) {
                String folded = AhoCorasick.foldString((String) p);
                // An empty phrase occurs everywhere: no requirement.
                atoms.add(folded.isEmpty() ? Formula.ALL : Formula.atom(folded));
            }
            return Formula.or(atoms, RegexAnalyzer.MAX_FORMULA);
        }

        private double[] atomCostCache;

        private double[] atomCosts(Map<String, Integer> atomIds) {
            if (atomCostCache == null || atomCostCache.length != atomIds.size()) {
                atomCostCache = new double[atomIds.size()];
                atomIds.forEach((atom, id) -> atomCostCache[id] = AtomRarity.probability(atom));
            }
            return atomCostCache;
        }

        /**
         * A trigger set of a requirement: ATOM gives itself; OR the union of its children's; AND
         * the child's set least likely to occur in benign text (see {@link AtomRarity}). Any
         * value satisfying the requirement contains an atom of this set.
         */
        private static java.util.Set<Integer> triggers(Node n, double[] atomCost) {
            switch (n.kind) {
                case ATOM:
                    return java.util.Set.of(n.atom);
                case OR: {
                    java.util.Set<Integer> all = new java.util.HashSet<>();
                    for (Node k : n.kids) {
                        java.util.Set<Integer> t = triggers(k, atomCost);
                        if (t == null) {
                            return null;
                        }
                        all.addAll(t);
                    }
                    return all;
                }
                case AND: {
                    java.util.Set<Integer> best = null;
                    double bestCost = Double.MAX_VALUE;
                    for (Node k : n.kids) {
                        java.util.Set<Integer> t = triggers(k, atomCost);
                        if (t == null || t.isEmpty()) {
                            continue;
                        }
                        double cost = 0;
                        for (int a : t) {
                            cost += atomCost[a];
                        }
                        if (best == null || cost < bestCost) {
                            best = t;
                            bestCost = cost;
                        }
                    }
                    return best;
                }
                default:
                    // ALL inside a formula: no atom is implied.
                    return null;
            }
        }
    }

    /** The atoms found in one value by {@link #scan}; valid only with its prefilter, one thread at a time. */
    public static final class Scan {
        private final LiteralPrefilter owner;
        private final BitSet atoms;

        private BitSet candidates;

        private Scan(LiteralPrefilter owner, BitSet atoms) {
            this.owner = owner;
            this.atoms = atoms;
        }

        /** Patterns with a trigger atom in this value; computed on first use. */
        private BitSet candidates() {
            BitSet c = candidates;
            if (c == null) {
                c = new BitSet(owner.requirements.length);
                for (int a = atoms.nextSetBit(0); a >= 0; a = atoms.nextSetBit(a + 1)) {
                    for (int p : owner.patternsByAtom[a]) {
                        c.set(p);
                    }
                }
                candidates = c;
            }
            return c;
        }

        /** Number of distinct atoms found. */
        public int atomsFound() {
            return atoms.cardinality();
        }

        @Override
        public String toString() {
            return "Scan" + atoms;
        }
    }

    /** A requirement with atoms resolved to ids, evaluated against a scan. */
    private static final class Node {
        private static final Node[] NO_KIDS = new Node[0];
        private static final Node ALL = new Node(Formula.Kind.ALL, -1, NO_KIDS);
        private static final Node NONE = new Node(Formula.Kind.NONE, -1, NO_KIDS);

        final Formula.Kind kind;
        final int atom;
        final Node[] kids;

        private Node(Formula.Kind kind, int atom, Node[] kids) {
            this.kind = kind;
            this.atom = atom;
            this.kids = kids;
        }

        static Node compile(Formula f, Map<String, Integer> atomIds) {
            switch (f.kind) {
                case ALL:
                    return ALL;
                case NONE:
                    return NONE;
                case ATOM:
                    return new Node(Formula.Kind.ATOM, atomIds.computeIfAbsent(f.atom, k -> atomIds.size()), NO_KIDS);
                default:
                    Node[] kids = new Node[f.children.size()];
                    for (int i = 0; i < kids.length; i++) {
                        kids[i] = compile(f.children.get(i), atomIds);
                    }
                    return new Node(f.kind, -1, kids);
            }
        }

        boolean eval(BitSet found) {
            switch (kind) {
                case ALL:
                    return true;
                case NONE:
                    return false;
                case ATOM:
                    return found.get(atom);
                case AND:
                    for (Node k : kids) {
                        if (!k.eval(found)) {
                            return false;
                        }
                    }
                    return true;
                default:
                    for (Node k : kids) {
                        if (k.eval(found)) {
                            return true;
                        }
                    }
                    return false;
            }
        }
    }
}

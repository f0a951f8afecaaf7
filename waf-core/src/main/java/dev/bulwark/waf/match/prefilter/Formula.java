package dev.bulwark.waf.match.prefilter;

import dev.bulwark.waf.match.AhoCorasick;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A requirement on a value: a boolean formula of AND/OR over literal atoms (folded strings that
 * must occur as substrings), or {@link #ALL} (no requirement) or {@link #NONE} (cannot match).
 * Immutable. Builders simplify on the fly and keep the size bounded by weakening: an AND may
 * drop children (fewer conditions is weaker), an OR that grows too big becomes {@link #ALL}.
 */
final class Formula {

    enum Kind { ALL, NONE, ATOM, AND, OR }

    static final Formula ALL = new Formula(Kind.ALL, null, List.of());
    static final Formula NONE = new Formula(Kind.NONE, null, List.of());

    final Kind kind;
    final String atom;
    final List<Formula> children;
    /** Number of nodes; the unit of the size bound. */
    final int size;

    private Formula(Kind kind, String atom, List<Formula> children) {
        this.kind = kind;
        this.atom = atom;
        this.children = children;
        int s = 1;
        for (Formula f : children) {
            s += f.size;
        }
        this.size = s;
    }

    static Formula atom(String s) {
        return new Formula(Kind.ATOM, s, List.of());
    }

    static Formula and(List<Formula> parts, int maxSize) {
        List<Formula> flat = new ArrayList<>();
        for (Formula f : parts) {
            if (f.kind == Kind.NONE) {
                return NONE;
            }
            if (f.kind == Kind.AND) {
                flat.addAll(f.children);
            } else if (f.kind != Kind.ALL) {
                flat.add(f);
            }
        }
        flat = dedupe(flat);
        // An atom that is a substring of another atom in the AND is implied by it.
        flat = dropSubstrings(flat);
        if (flat.isEmpty()) {
            return ALL;
        }
        if (flat.size() == 1) {
            return flat.get(0);
        }
        int total = 1;
        for (Formula f : flat) {
            total += f.size;
        }
        if (total > maxSize) {
            // Weaken by keeping the smallest conjuncts that fit; dropping a conjunct is safe.
            flat.sort(Comparator.comparingInt(f -> f.size));
            List<Formula> kept = new ArrayList<>();
            int used = 1;
            for (Formula f : flat) {
                if (used + f.size <= maxSize) {
                    kept.add(f);
                    used += f.size;
                }
            }
            flat = kept;
            if (flat.isEmpty()) {
                return ALL;
            }
            if (flat.size() == 1) {
                return flat.get(0);
            }
        }
        return new Formula(Kind.AND, null, List.copyOf(flat));
    }

    static Formula or(List<Formula> parts, int maxSize) {
        List<Formula> flat = new ArrayList<>();
        for (Formula f : parts) {
            if (f.kind == Kind.ALL) {
                return ALL;
            }
            if (f.kind == Kind.OR) {
                flat.addAll(f.children);
            } else if (f.kind != Kind.NONE) {
                flat.add(f);
            }
        }
        flat = dedupe(flat);
        // An atom containing another atom of the OR adds nothing: the shorter one is found too.
        flat = dropSuperstrings(flat);
        if (flat.isEmpty()) {
            return NONE;
        }
        if (flat.size() == 1) {
            return flat.get(0);
        }
        int total = 1;
        for (Formula f : flat) {
            total += f.size;
        }
        if (total > maxSize) {
            return ALL;
        }
        return new Formula(Kind.OR, null, List.copyOf(flat));
    }

    private static List<Formula> dedupe(List<Formula> in) {
        Set<String> atoms = new LinkedHashSet<>();
        List<Formula> out = new ArrayList<>(in.size());
        for (Formula f : in) {
            if (f.kind != Kind.ATOM || atoms.add(f.atom)) {
                out.add(f);
            }
        }
        return out;
    }

    /** Drops atoms that contain another (distinct) atom of the list; linear via one automaton. */
    private static List<Formula> dropSuperstrings(List<Formula> in) {
        List<String> atoms = new ArrayList<>();
        for (Formula f : in) {
            if (f.kind == Kind.ATOM) {
                atoms.add(f.atom);
            }
        }
        if (atoms.size() < 2) {
            return in;
        }
        AhoCorasick ac = AhoCorasick.of(atoms, false);
        BitSet hits = new BitSet(atoms.size());
        List<Formula> out = new ArrayList<>(in.size());
        int id = 0;
        for (Formula f : in) {
            if (f.kind == Kind.ATOM) {
                hits.clear();
                ac.matches(f.atom, hits);
                hits.clear(id++); // atoms are deduplicated, so any other hit is a proper substring
                if (!hits.isEmpty()) {
                    continue;
                }
            }
            out.add(f);
        }
        return out;
    }

    /** For AND: drops atoms contained in another atom. Quadratic, so only for modest lists. */
    private static List<Formula> dropSubstrings(List<Formula> in) {
        if (in.size() < 2 || in.size() > 512) {
            return in;
        }
        List<Formula> out = new ArrayList<>(in.size());
        outer:
        for (Formula f : in) {
            if (f.kind == Kind.ATOM) {
                for (Formula g : in) {
                    if (g != f && g.kind == Kind.ATOM && g.atom.length() != f.atom.length()) {
                        if (g.atom.contains(f.atom)) {
                            continue outer;
                        }
                    }
                }
            }
            out.add(f);
        }
        return out;
    }

    @Override
    public String toString() {
        switch (kind) {
            case ALL:
                return "ANY";
            case NONE:
                return "NONE";
            case ATOM:
                return quote(atom);
            default:
                StringBuilder sb = new StringBuilder(kind == Kind.AND ? "AND(" : "OR(");
                for (int i = 0; i < children.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    sb.append(children.get(i));
                }
                return sb.append(')').toString();
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** Sets larger than this are dropped from {@link #requiredCharacterSets}: they filter little. */
    private static final int MAX_SET = 12;

    /**
     * Character sets such that any value satisfying this formula holds at least one character
     * of each: the rare characters of atoms (not letters, digits or spaces), combined through
     * AND (every set of every child) and OR (a set every child shares, and one set made of one
     * set of each child). Sorted strings of distinct chars; empty when nothing is required.
     */
    List<String> requiredCharacterSets() {
        switch (kind) {
            case ATOM: {
                Set<String> out = new LinkedHashSet<>();
                for (int i = 0; i < atom.length(); i++) {
                    char c = atom.charAt(i);
                    if (isRare(c)) {
                        out.add(String.valueOf(c));
                    }
                }
                return new ArrayList<>(out);
            }
            case AND: {
                Set<String> out = new LinkedHashSet<>();
                for (Formula f : children) {
                    out.addAll(f.requiredCharacterSets());
                }
                return new ArrayList<>(out);
            }
            case OR: {
                List<List<String>> kids = new ArrayList<>();
                for (Formula f : children) {
                    List<String> k = f.requiredCharacterSets();
                    if (k.isEmpty()) {
                        return List.of(); // this branch requires nothing, so neither does the OR
                    }
                    kids.add(k);
                }
                Set<String> out = new LinkedHashSet<>();
                for (String set : kids.get(0)) {
                    boolean everywhere = true;
                    for (List<String> k : kids) {
                        everywhere &= k.contains(set);
                    }
                    if (everywhere) {
                        out.add(set);
                    }
                }
                // Any one set per branch, joined, is required. Two choices: each branch's
                // smallest set, and, when the branches have as many sets each (alternatives
                // such as "http/1.1\r" | "http/1.1\n" that differ in one place), position by position.
                List<String> smallest = new ArrayList<>();
                boolean aligned = true;
                for (List<String> k : kids) {
                    smallest.add(k.stream().min(Comparator.comparingInt(String::length)).orElseThrow());
                    aligned &= k.size() == kids.get(0).size();
                }
                addJoined(out, smallest);
                if (aligned) {
                    for (int pos = 0; pos < kids.get(0).size(); pos++) {
                        List<String> column = new ArrayList<>();
                        for (List<String> k : kids) {
                            column.add(k.get(pos));
                        }
                        addJoined(out, column);
                    }
                }
                return new ArrayList<>(out);
            }
            default:
                return List.of();
        }
    }

    /** Adds the union of {@code sets} as one set, sorted, unless it is too large to filter. */
    private static void addJoined(Set<String> out, List<String> sets) {
        java.util.TreeSet<Character> union = new java.util.TreeSet<>();
        for (String s : sets) {
            for (char c : s.toCharArray()) {
                union.add(c);
            }
        }
        if (union.size() <= MAX_SET) {
            StringBuilder sb = new StringBuilder();
            union.forEach(sb::append);
            out.add(sb.toString());
        }
    }

    private static boolean isRare(char c) {
        return !Character.isLetterOrDigit(c) && c != ' ';
    }
}

package dev.bulwark.waf.match.dfa;

import java.util.Arrays;
import java.util.HashMap;

/**
 * The lazily built DFA of one {@link Program} for one thread: states are sets of NFA instructions
 * created on first use, with a transition table indexed by {@code state row + input class}.
 *
 * <p><b>Empty-width assertions</b> are resolved the RE2 way. A state records, next to its
 * instructions, whether the previous character was a word character and whether the position is
 * at a line or text start. {@code ^} and {@code \A} depend only on the past, so they are decided
 * when the state is built. {@code $}, {@code \z}, {@code \b} and {@code \B} also depend on the
 * next character: they stay in the state as pending instructions and are followed (or dropped)
 * when the transition on the next character is computed, or at the end of the input.
 *
 * <p><b>Bounded memory</b>: when the state budget is exhausted the cache is cleared and the
 * search continues (each character still costs at most one state construction, so a call stays
 * linear in its input); if that happens twice within a short stretch of input, the DFA is
 * thrashing and the call gives up with "maybe".
 */
final class DfaCache {

    static final int UNKNOWN = -1;
    static final int MATCH = -2;

    private static final int F_BEGIN_LINE = Node.BEGIN_LINE;
    private static final int F_BEGIN_TEXT = Node.BEGIN_TEXT;
    private static final int F_LAST_WORD = 64;
    private static final int F_PENDING = 128;

    private final Program prog;
    private final int k;
    private final int maxStates;
    /**
     * Longest mode (for the reversed program): accepting states do not end the scan; each
     * transition records in its low bit whether the position before its character accepts.
     */
    private final boolean longest;

    /** Transitions: {@code trans[row + cls]} is the next state's row, UNKNOWN or MATCH. */
    private int[] trans;
    private int[][] stateInsts;
    private int[] stateFlags;
    /** Per state: 0 unknown, 1 no match at end of input, 2 match at end of input. */
    private byte[] stateEot;
    private int numStates;
    private final HashMap<Key, Integer> index = new HashMap<>();
    private int startRow = -1;

    /** Set when the start state itself matches: every input matches (the empty match at 0). */
    private boolean matchesEmptyAtStart;

    // Scratch for closures.
    private final int[] stack;
    private final int[] mark;
    private int generation;
    private int[] list;
    private int listSize;

    /** How often the cache was cleared (for tests and statistics). */
    int resets;

    DfaCache(Program prog, int maxStates) {
        this(prog, maxStates, false);
    }

    DfaCache(Program prog, int maxStates, boolean longest) {
        this.longest = longest;
        this.prog = prog;
        this.k = prog.numClasses;
        this.maxStates = maxStates;
        // Each instruction is marked once and pushes at most two successors, plus the seeds.
        this.stack = new int[3 * prog.size + 2];
        this.mark = new int[prog.size];
        this.list = new int[16];
        clear();
    }

    private void clear() {
        index.clear();
        int initial = Math.min(maxStates, 16);
        trans = new int[initial * k];
        Arrays.fill(trans, UNKNOWN);
        stateInsts = new int[initial][];
        stateFlags = new int[initial];
        stateEot = new byte[initial];
        numStates = 0;
        startRow = startState();
    }

    int states() {
        return numStates;
    }

    private int startState() {
        int known = Node.BEGIN_LINE | Node.BEGIN_TEXT;
        closure(new int[] {prog.start}, 1, known, false);
        if (!longest && contains(Program.MATCH)) {
            matchesEmptyAtStart = true;
        }
        return intern(known);
    }

    static final int NO = 0;
    static final int YES = 1;
    static final int GAVE_UP = 2;

    /** {@link #YES} when the pattern matches somewhere in {@code in}, {@link #NO}, or {@link #GAVE_UP}. */
    int search(CharSequence in) {
        if (matchesEmptyAtStart) {
            return YES;
        }
        final Program p = prog;
        final int[] ascii = p.asciiClass;
        int[] t = trans;
        int row = startRow;
        int n = in.length();
        int lastReset = resets;
        int posAtReset = -1;
        for (int i = 0; i < n; ) {
            char ch = in.charAt(i++);
            int cls;
            if (ch < 128) {
                cls = ascii[ch];
            } else {
                int cp = ch;
                if (Character.isHighSurrogate(ch) && i < n) {
                    char lo = in.charAt(i);
                    if (Character.isLowSurrogate(lo)) {
                        cp = Character.toCodePoint(ch, lo);
                        i++;
                    }
                }
                cls = p.classOf(cp);
            }
            int next = t[row + cls];
            if (next < 0) {
                if (next == MATCH) {
                    return YES;
                }
                next = step(row, cls);
                if (next < 0) {
                    return YES; // MATCH
                }
                if (resets != lastReset) {
                    // The cache was cleared to make room. A second clear within a short
                    // stretch means states are not being reused: let RE2J decide.
                    if (posAtReset >= 0 && i - posAtReset < 10L * maxStates) {
                        return GAVE_UP;
                    }
                    posAtReset = i;
                    lastReset = resets;
                }
                t = trans;
            }
            row = next;
        }
        return matchesAtEnd(row) ? YES : NO;
    }

    private boolean matchesAtEnd(int row) {
        int s = row / k;
        byte e = stateEot[s];
        if (e == 0) {
            int flags = stateFlags[s];
            boolean m = has(stateInsts[s], Program.MATCH);
            if (!m && (flags & F_PENDING) != 0) {
                int known = (flags & (F_BEGIN_LINE | F_BEGIN_TEXT)) | Node.END_LINE | Node.END_TEXT
                        | ((flags & F_LAST_WORD) != 0 ? Node.WORD_BOUNDARY : Node.NO_WORD_BOUNDARY);
                int[] insts = stateInsts[s];
                closure(insts, insts.length, known, true);
                m = contains(Program.MATCH);
            }
            e = (byte) (m ? 2 : 1);
            stateEot[s] = e;
        }
        return e == 2;
    }

    /** Computes and records the transition of state {@code row} on class {@code cls}. */
    private int step(int row, int cls) {
        int s = row / k;
        int[] insts = stateInsts[s];
        int flags = stateFlags[s];
        Program p = prog;
        int[] cur = insts;
        int curSize = insts.length;
        if ((flags & F_PENDING) != 0) {
            // The next character is known now: resolve $, \z, \b and \B.
            boolean nextWord = p.classIsWord[cls];
            int known = (flags & (F_BEGIN_LINE | F_BEGIN_TEXT))
                    | (p.classIsNewline[cls] ? Node.END_LINE : 0)
                    | (((flags & F_LAST_WORD) != 0) != nextWord ? Node.WORD_BOUNDARY : Node.NO_WORD_BOUNDARY);
            closure(insts, insts.length, known, true);
            cur = Arrays.copyOf(list, listSize);
            curSize = listSize;
        }
        boolean acceptBefore = has(cur, Program.MATCH);
        if (acceptBefore && !longest) {
            trans[row + cls] = MATCH;
            return MATCH;
        }
        // Consume the character: the successors of every CHAR instruction whose set holds it.
        int seeds = 0;
        int[] buf = new int[curSize];
        for (int j = 0; j < curSize; j++) {
            int pc = cur[j];
            if (p.op[pc] == Program.CHAR && p.setHasClass(p.arg[pc], cls)) {
                buf[seeds++] = p.out[pc];
            }
        }
        boolean newline = p.classIsNewline[cls];
        closure(buf, seeds, newline ? Node.BEGIN_LINE : 0, false);
        if (!longest && contains(Program.MATCH)) {
            trans[row + cls] = MATCH;
            return MATCH;
        }
        int newFlags = (newline ? F_BEGIN_LINE : 0) | (p.classIsWord[cls] ? F_LAST_WORD : 0);
        int before = resets;
        int next = intern(newFlags);
        if (longest) {
            next = next << 1 | (acceptBefore ? 1 : 0);
        }
        if (resets == before) {
            trans[row + cls] = next;
        }
        return next;
    }

    private static boolean has(int[] insts, int opcodeWanted, Program p) {
        for (int pc : insts) {
            if (p.op[pc] == opcodeWanted) {
                return true;
            }
        }
        return false;
    }

    private boolean has(int[] insts, int opcode) {
        return has(insts, opcode, prog);
    }

    /**
     * Longest mode over the reversed program: scans {@code in} from its end to its start and
     * returns the smallest position where a match of the original pattern starts, -1 when none
     * does, or 0 when the cache thrashes (a safe lower bound).
     */
    int leftmostStart(CharSequence in) {
        final Program p = prog;
        final int[] ascii = p.asciiClass;
        int[] t = trans;
        int row = startRow;
        int best = -1;
        int lastReset = resets;
        int posAtReset = -1;
        int n = in.length();
        for (int i = n; i > 0; ) {
            int boundary = i;
            char ch = in.charAt(--i);
            int cls;
            if (ch < 128) {
                cls = ascii[ch];
            } else {
                int cp = ch;
                if (Character.isLowSurrogate(ch) && i > 0) {
                    char hi = in.charAt(i - 1);
                    if (Character.isHighSurrogate(hi)) {
                        cp = Character.toCodePoint(hi, ch);
                        i--;
                    }
                }
                cls = p.classOf(cp);
            }
            int v = t[row + cls];
            if (v == UNKNOWN) {
                v = step(row, cls);
                if (resets != lastReset) {
                    if (posAtReset >= 0 && posAtReset - i < 10L * maxStates) {
                        return 0;
                    }
                    posAtReset = i;
                    lastReset = resets;
                }
                t = trans;
            }
            if ((v & 1) != 0) {
                best = boundary;
            }
            row = v >>> 1;
        }
        return matchesAtEnd(row) ? 0 : best;
    }

    private boolean contains(int opcode) {
        int[] op = prog.op;
        for (int j = 0; j < listSize; j++) {
            if (op[list[j]] == opcode) {
                return true;
            }
        }
        return false;
    }

    /**
     * The epsilon closure of {@code seeds} into {@link #list}: CHAR and MATCH instructions, plus,
     * unless {@code resolve}, pending end/word assertions. {@code known} holds the assertion bits
     * that are true at this position; begin assertions are always decided ({@code known} has them
     * or they fail), end and word assertions only when {@code resolve}.
     */
    private void closure(int[] seeds, int count, int known, boolean resolve) {
        if (++generation == Integer.MAX_VALUE) {
            Arrays.fill(mark, 0);
            generation = 1;
        }
        int gen = generation;
        int[] op = prog.op;
        int[] out = prog.out;
        int[] arg = prog.arg;
        int sp = 0;
        listSize = 0;
        for (int j = count - 1; j >= 0; j--) {
            stack[sp++] = seeds[j];
        }
        while (sp > 0) {
            int pc = stack[--sp];
            if (mark[pc] == gen) {
                continue;
            }
            mark[pc] = gen;
            switch (op[pc]) {
                case Program.SPLIT:
                    stack[sp++] = arg[pc];
                    stack[sp++] = out[pc];
                    break;
                case Program.EMPTY: {
                    int a = arg[pc];
                    boolean decided = resolve || a == Node.BEGIN_LINE || a == Node.BEGIN_TEXT;
                    if (!decided) {
                        add(pc); // pending until the next character is known
                    } else if ((known & a) != 0) {
                        stack[sp++] = out[pc];
                    }
                    break;
                }
                default:
                    add(pc);
                    break;
            }
        }
    }

    private void add(int pc) {
        if (listSize == list.length) {
            list = Arrays.copyOf(list, listSize * 2);
        }
        list[listSize++] = pc;
    }

    /** Returns the row of the state {@link #list} + flags, creating it (and clearing when full). */
    private int intern(int flags) {
        int[] op = prog.op;
        boolean pending = false;
        for (int j = 0; j < listSize; j++) {
            if (op[list[j]] == Program.EMPTY) {
                pending = true;
                break;
            }
        }
        // Context flags only matter while an assertion is pending: dropping them otherwise
        // keeps equal instruction sets in one state.
        int f = pending ? flags | F_PENDING : 0;
        int[] insts = Arrays.copyOf(list, listSize);
        Arrays.sort(insts);
        Key key = new Key(insts, f);
        Integer found = index.get(key);
        if (found != null) {
            return found * k;
        }
        if (numStates >= maxStates) {
            resets++;
            clear(); // keeps only the start state; the new state is added below
            found = index.get(key);
            if (found != null) {
                return found * k;
            }
        }
        int s = numStates++;
        if (s == stateInsts.length) {
            int cap = Math.min(maxStates, s * 2);
            stateInsts = Arrays.copyOf(stateInsts, cap);
            stateFlags = Arrays.copyOf(stateFlags, cap);
            stateEot = Arrays.copyOf(stateEot, cap);
            int old = trans.length;
            trans = Arrays.copyOf(trans, cap * k);
            Arrays.fill(trans, old, trans.length, UNKNOWN);
        }
        stateInsts[s] = insts;
        stateFlags[s] = f;
        stateEot[s] = 0;
        index.put(key, s);
        return s * k;
    }

    private static final class Key {
        final int[] insts;
        final int flags;
        final int hash;

        Key(int[] insts, int flags) {
            this.insts = insts;
            this.flags = flags;
            this.hash = Arrays.hashCode(insts) * 31 + flags;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).flags == flags && Arrays.equals(((Key) o).insts, insts);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}

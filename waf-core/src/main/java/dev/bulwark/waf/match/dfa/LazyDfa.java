package dev.bulwark.waf.match.dfa;

/**
 * A yes/no regex matcher for RE2 syntax that runs as a lazily built DFA: one table lookup per
 * input character once warm, against RE2J's NFA simulation per character. It answers "may this
 * pattern match anywhere in the input?" for the engine's {@code @rx} flags (DOTALL and
 * MULTILINE, i.e. {@code Pattern.compile(regex, DOTALL | MULTILINE).matcher(input).find()}).
 *
 * <p>Contract: {@link #mayMatch} returns {@code false} only when RE2J's {@code find()} is false.
 * It returns {@code true} when the pattern matches, and also when it gives up (its state cache
 * keeps overflowing on the input); the caller then runs RE2J, which also provides captures.
 * {@link #test} tells the two apart, and {@link #matchStart} also finds where the leftmost match
 * starts, so that RE2J, when groups are needed, can skip the prefix.
 *
 * <p>Use: {@link #compile} once (null means "unsupported": syntax this parser does not model, such
 * as {@code \p{..}} classes, or a pattern expanding to more than 50,000 NFA instructions), then
 * call {@link #mayMatch} from any number of threads. The compiled program is immutable; each
 * thread builds its own DFA states in bounded caches (about {@value #CACHE_BYTES} bytes per
 * pattern and thread, twice that once {@link #matchStart} has needed the reversed pattern), so a
 * call never blocks and costs time linear in the input length.
 */
public final class LazyDfa {

    /** Approximate memory budget of one thread's state cache for one pattern. */
    static final int CACHE_BYTES = 512 * 1024;
    static final int MAX_STATES = 10_000;

    private final Program program;
    private final boolean alwaysMatches;
    private final int maxStates;
    private final ThreadLocal<DfaCache> caches;
    /** The reversed pattern, for {@link #matchStart}; built on first use. */
    private final Node reversed;
    private volatile Object reverseProgram;
    private final ThreadLocal<DfaCache> reverseCaches;

    private LazyDfa(Program program, boolean alwaysMatches, Node reversed) {
        this.program = program;
        this.alwaysMatches = alwaysMatches;
        this.reversed = reversed;
        this.reverseCaches = ThreadLocal.withInitial(() -> {
            Program rp = reverseProgram();
            return rp == null ? null : new DfaCache(rp, maxStates(rp), true);
        });
        if (program == null) {
            this.maxStates = 0;
            this.caches = null;
        } else {
            this.maxStates = maxStates(program);
            this.caches = ThreadLocal.withInitial(() -> new DfaCache(program, maxStates));
        }
    }

    /** A state costs its transition row plus its instruction list (estimated). */
    private static int maxStates(Program p) {
        int perState = 4 * p.numClasses + 4 * Math.min(p.size, 64) + 96;
        return Math.max(64, Math.min(MAX_STATES, CACHE_BYTES / perState));
    }

    /**
     * Compiles {@code regex} (RE2 syntax, with DOTALL and MULTILINE implied).
     *
     * @return the matcher, or {@code null} when the pattern uses syntax this matcher does not
     *     support or is too large; never throws for a malformed pattern
     */
    public static LazyDfa compile(String regex) {
        try {
            // Trimming the end keeps the set of match start positions (needed by matchStart);
            // trimming the start as well keeps whether there is a match at all.
            Node tail = Parser.parse(regex).trimEnd(true);
            Node n = tail.trimEnd(false);
            if (n.freeEmpty()) {
                return new LazyDfa(null, true, null); // the empty string matches at position 0
            }
            return new LazyDfa(Program.compile(n), false, tail.reverse());
        } catch (UnsupportedRegexException | StackOverflowError e) {
            return null;
        }
    }

    /**
     * Whether the pattern may match somewhere in {@code input}: {@code false} means RE2J's
     * {@code find()} is certainly false; {@code true} means it matches or the DFA gave up.
     */
    public boolean mayMatch(CharSequence input) {
        return test(input) != Answer.NO;
    }

    /** The three answers of {@link #test}. */
    public enum Answer {
        /** RE2J's {@code find()} is false. */
        NO,
        /** RE2J's {@code find()} is true: the DFA reached an accepting state. */
        YES,
        /** The DFA gave up (its state cache kept overflowing): ask RE2J. */
        MAYBE
    }

    /**
     * The exact answer of RE2J's {@code find()} ({@link Answer#YES} or {@link Answer#NO}) unless
     * the DFA gives up ({@link Answer#MAYBE}). Callers that need no groups can skip RE2J on YES.
     */
    public Answer test(CharSequence input) {
        if (alwaysMatches) {
            return Answer.YES;
        }
        int r;
        try {
            r = caches.get().search(input);
        } catch (RuntimeException e) {
            // Defensive: a defect here must cost time (RE2J decides), never a verdict. The
            // cache may be inconsistent now, so this thread starts a fresh one.
            caches.remove();
            return Answer.MAYBE;
        }
        return r == DfaCache.NO ? Answer.NO : r == DfaCache.YES ? Answer.YES : Answer.MAYBE;
    }

    /**
     * Like {@link #mayMatch}, and where it may match, also where RE2J can start looking: returns
     * -1 when RE2J's {@code find()} is certainly false, otherwise a position before which no
     * match starts. That is the start of the leftmost match, found by scanning the reversed
     * pattern's DFA from the end of the input, or 0 when the DFA gave up. Since no match starts
     * earlier, RE2J's {@code find(start)} returns the same match and groups as {@code find()}
     * while skipping the NFA simulation of the prefix.
     */
    public int matchStart(CharSequence input) {
        if (alwaysMatches) {
            return 0;
        }
        Answer a = test(input);
        if (a != Answer.YES) {
            return a == Answer.NO ? -1 : 0;
        }
        try {
            DfaCache rc = reverseCaches.get();
            // -1 would contradict the forward scan: stay on the safe side.
            return rc == null ? 0 : Math.max(0, rc.leftmostStart(input));
        } catch (RuntimeException e) {
            reverseCaches.remove(); // defensive, as in test()
            return 0;
        }
    }

    private Program reverseProgram() {
        Object rp = reverseProgram;
        if (rp == null) {
            // A race only compiles twice; both results are equal and immutable.
            try {
                rp = Program.compile(reversed);
            } catch (UnsupportedRegexException | StackOverflowError e) {
                rp = Boolean.FALSE;
            }
            reverseProgram = rp;
        }
        return rp instanceof Program ? (Program) rp : null;
    }

    /** The calling thread's cache (tests). */
    DfaCache cache() {
        return caches == null ? null : caches.get();
    }

    /** Number of input equivalence classes (tests, statistics). */
    int classes() {
        return program == null ? 0 : program.numClasses;
    }

    /** Number of NFA instructions (tests, statistics). */
    int instructions() {
        return program == null ? 0 : program.size;
    }

    int maxStates() {
        return maxStates;
    }
}

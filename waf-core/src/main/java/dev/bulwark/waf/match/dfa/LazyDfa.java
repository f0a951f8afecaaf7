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
 *
 * <p>Use: {@link #compile} once (null means "unsupported": syntax this parser does not model, such
 * as {@code \p{..}} classes, or a pattern expanding to more than 50,000 NFA instructions), then
 * call {@link #mayMatch} from any number of threads. The compiled program is immutable; each
 * thread builds its own DFA states in a bounded cache (about {@value #CACHE_BYTES} bytes per
 * pattern and thread), so a call never blocks and costs time linear in the input length.
 */
public final class LazyDfa {

    /** Approximate memory budget of one thread's state cache for one pattern. */
    static final int CACHE_BYTES = 512 * 1024;
    static final int MAX_STATES = 10_000;

    private final Program program;
    private final boolean alwaysMatches;
    private final int maxStates;
    private final ThreadLocal<DfaCache> caches;

    private LazyDfa(Program program, boolean alwaysMatches) {
        this.program = program;
        this.alwaysMatches = alwaysMatches;
        if (program == null) {
            this.maxStates = 0;
            this.caches = null;
        } else {
            // A state costs its transition row plus its instruction list (estimated).
            int perState = 4 * program.numClasses + 4 * Math.min(program.size, 64) + 96;
            this.maxStates = Math.max(64, Math.min(MAX_STATES, CACHE_BYTES / perState));
            this.caches = ThreadLocal.withInitial(() -> new DfaCache(program, maxStates));
        }
    }

    /**
     * Compiles {@code regex} (RE2 syntax, with DOTALL and MULTILINE implied).
     *
     * @return the matcher, or {@code null} when the pattern uses syntax this matcher does not
     *     support or is too large; never throws for a malformed pattern
     */
    public static LazyDfa compile(String regex) {
        try {
            Node n = Parser.parse(regex).trimEnd(true).trimEnd(false);
            if (n.freeEmpty()) {
                return new LazyDfa(null, true); // the empty string matches at position 0
            }
            return new LazyDfa(Program.compile(n), false);
        } catch (UnsupportedRegexException | StackOverflowError e) {
            return null;
        }
    }

    /**
     * Whether the pattern may match somewhere in {@code input}: {@code false} means RE2J's
     * {@code find()} is certainly false; {@code true} means it matches or the DFA gave up.
     */
    public boolean mayMatch(CharSequence input) {
        if (alwaysMatches) {
            return true;
        }
        return caches.get().search(input);
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

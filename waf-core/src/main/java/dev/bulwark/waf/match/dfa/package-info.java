/**
 * A lazy DFA that answers "does this regex match anywhere in the input?" so that {@code @rx}
 * can skip RE2J. RE2J has no DFA: it simulates the NFA, which costs about 0.3-1.1 ms per KB for
 * the large CRS patterns; once warm, the DFA costs one table lookup per character (a few ns per
 * character and pattern).
 *
 * <h2>How {@code @rx} uses it</h2>
 * {@link dev.bulwark.waf.match.dfa.LazyDfa#test} answers YES or NO exactly, or MAYBE when it
 * gives up. A rule without {@code capture} takes YES/NO as its answer and runs RE2J only on
 * MAYBE. A rule with {@code capture} needs RE2J's groups: it calls
 * {@link dev.bulwark.waf.match.dfa.LazyDfa#matchStart}, which on a match also scans the
 * <em>reversed</em> pattern's DFA backwards over the whole input (longest mode: accepting states
 * do not stop the scan) to find where the leftmost match starts; RE2J's {@code find(start)} then
 * returns the same match and groups as {@code find()} without simulating the prefix. Only the
 * end of the pattern is trimmed for the reversed program (trimming its start would move starts).
 *
 * <h2>Pipeline</h2>
 * <ol>
 *   <li>{@code Parser} reads RE2 syntax as RE2J accepts it, with the engine's flags (DOTALL,
 *       MULTILINE): literals and escapes ({@code \x41 \x{10FFFF} \n \r \t \f \v \a}, octal,
 *       {@code \Q..\E}), {@code .}, classes with ranges, negation, Perl ({@code \d \w \s} and
 *       negations) and POSIX ({@code [[:alpha:]]}) members, groups of all kinds, flags
 *       {@code i s m U} (global and scoped), repetitions (laziness ignored) and the assertions
 *       {@code ^ $ \A \z \b \B}. Unicode classes ({@code \pL}, {@code \p{Greek}}) and anything
 *       else are refused: {@link dev.bulwark.waf.match.dfa.LazyDfa#compile} returns null and the
 *       pattern runs in RE2J alone.</li>
 *   <li>Parts an existence test does not need are trimmed: trailing and leading sub-patterns
 *       that match the empty string unconditionally, and {@code x{n,m}} at either end becomes
 *       {@code x{n}} (if {@code A B} matches, {@code A} does).</li>
 *   <li>{@code Program} builds a Thompson NFA with an unanchored {@code .*?} prefix loop and
 *       reduces the input alphabet to equivalence classes: code points that every character set
 *       of the pattern (and the word-character and newline tests) treats alike share a class. A
 *       128-entry table serves ASCII; other code points are looked up by binary search. Input is
 *       decoded by code point as RE2J does (a surrogate pair is one character; a lone surrogate
 *       is itself).</li>
 *   <li>{@code DfaCache} builds DFA states (sorted NFA instruction sets plus context flags) on
 *       demand, per thread, and stops at the first accepting state.</li>
 * </ol>
 *
 * <h2>Correctness</h2>
 * The answer "no" must never be given when RE2J's {@code find()} would match. Assertions are
 * resolved the RE2 way (see {@code DfaCache}); {@code $} in multiline mode matches before
 * {@code '\n'} and at the end, and word characters are ASCII {@code [0-9A-Za-z_]} as in RE2.
 * {@code (?i)} uses RE2J's simple case folding ({@code CaseFold}, checked against RE2J for
 * every foldable code point). Tests compare the DFA with RE2J on every CRS v4 and bundled
 * pattern over the CRS regression payloads, and on random patterns and inputs.
 *
 * <h2>Bounds</h2>
 * Patterns that expand to more than 50,000 NFA instructions are refused. Each thread's state
 * cache for a pattern holds at most about 512 KB (at most 10,000 states), and so does the one for
 * the reversed pattern, which only {@code matchStart} uses; when a cache is full it is
 * cleared and the search continues, so a call costs at most one state construction per
 * character (linear in the input). If it fills up twice within a short stretch of input, the
 * call gives up and answers "maybe", leaving the decision to RE2J.
 *
 * <h2>Thread-safety</h2>
 * {@link dev.bulwark.waf.match.dfa.LazyDfa} is immutable apart from its thread-confined caches
 * and may be shared freely.
 */
package dev.bulwark.waf.match.dfa;

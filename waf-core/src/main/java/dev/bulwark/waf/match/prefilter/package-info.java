/**
 * The regex literal prefilter: decides with one multi-pattern scan which of many regexes can
 * possibly match a value, in the manner of RE2's FilteredRE2.
 *
 * <h2>How atoms are derived</h2>
 * {@code RegexAnalyzer} parses RE2 syntax itself (groups, flags, alternation, classes,
 * escapes, {@code \Q..\E}, repeats, anchors) and computes for every node either
 * <ul>
 *   <li>an <em>exact set</em>: the node matches exactly one of a few strings (a literal, a small
 *       class such as {@code [aA]} or {@code [\s\x0b]}, a small alternation, an optional part,
 *       and concatenations of those, cross-multiplied while the product stays at most 16); or</li>
 *   <li>a <em>requirement</em>: an AND/OR formula over atoms, or ANY.</li>
 * </ul>
 * Concatenation ANDs the requirements of its parts, alternation ORs them, {@code x+} and
 * {@code x{n,m}} with {@code n >= 1} keep the requirement of {@code x} (or of {@code x^n}),
 * and {@code x*}, {@code x?} and anything with a large class or {@code .} contribute nothing.
 * When an exact set has to become a requirement it turns into an OR of its strings, each an
 * atom; a string shorter than the minimum atom length (default 3) makes that OR ANY, because
 * such short atoms occur in nearly every value. Formulas are simplified (implied atoms dropped)
 * and bounded in size: an AND that grows too large drops conjuncts, an OR becomes ANY.
 *
 * <h2>Why everything is lower-cased</h2>
 * Atoms and the scanned value are both folded per code point with
 * {@link dev.bulwark.waf.match.AhoCorasick#fold(int)}, which maps every member of a simple
 * Unicode case orbit to one code point. If a regex matches, the literal it requires occurs in
 * the value in some case variant; folding both sides turns that into a plain substring
 * occurrence, so one automaton serves case-sensitive and {@code (?i)} regexes alike and the
 * filter stays conservative for both (it only loses some selectivity on case-sensitive ones).
 *
 * <h2>What falls back to ANY</h2>
 * Regexes whose every match may avoid all long literals (for example {@code ^$},
 * {@code [\n\r]}, {@code ^[^;\s]+}), regexes with an alternative that has no literal,
 * syntax the parser does not understand or that RE2 rejects (back-references, unknown
 * escapes, unbalanced groups, nesting deeper than 200), and formulas that exceed the size bound.
 * ANY is never wrong: such a regex simply always runs. On the 294 distinct CRS v4 {@code @rx}
 * patterns, 153 (52%) get a requirement at the default minimum of 3 (64% at 2); most of the
 * rest match inputs without any 3-char literal by design (single characters, evasion-tolerant
 * {@code b["']*u["']*s...} sequences, short keywords such as {@code if} or {@code or}).
 *
 * <h2>How a scan is evaluated</h2>
 * All requirements form one graph of AND/OR nodes over shared atoms. A scan runs the single
 * automaton over the value, then lets every atom it found advance the nodes above it: an OR
 * holds at its first satisfied child, an AND when all its children hold, and a pattern is a
 * candidate when its root holds (the FilteredRE2 evaluation). The cost follows the atoms found,
 * not the size of the formulas. Built with {@code ignoreCommonCharacters}, as the engine does,
 * single ASCII letters and digits, space, tab and {@code . , - _ /} count as always present:
 * they occur in nearly every value, filter nothing, and the {@code \s} class alone would
 * otherwise sit under hundreds of nodes; rare single characters ({@code < | ` ' ;}, line breaks)
 * remain the strongest atoms there are.
 *
 * <h2>Thread-safety</h2>
 * {@link dev.bulwark.waf.match.prefilter.LiteralPrefilter} and its scans are immutable and
 * thread-safe; its builder and the package-private analyzer are single-threaded build tools.
 */
package dev.bulwark.waf.match.prefilter;

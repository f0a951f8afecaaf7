/**
 * The built-in operators (matchers) of the engine: {@code @rx}, the string comparisons,
 * the numeric comparisons, {@code @ipMatch}, and the encoding validators. {@link
 * dev.bulwark.waf.match.Operators#builtins()} is the entry point; everything else here is
 * package-private.
 *
 * <p>Thread-safety: every {@link dev.bulwark.waf.spi.Operator} created here is immutable (or
 * holds only a concurrent, bounded compile cache) and is shared by all transactions. Every
 * operator runs in time linear in its input and never throws on bad input; only the factories
 * throw, with {@link java.lang.IllegalArgumentException}, for an invalid argument.
 *
 * <p>Nothing here uses the JDK's backtracking regex package: regexes go through RE2J, everything else is plain string
 * code.
 */
package dev.bulwark.waf.match;

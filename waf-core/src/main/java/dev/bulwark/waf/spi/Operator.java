package dev.bulwark.waf.spi;

/**
 * A compiled matcher (an operator such as {@code rx} or {@code pm}) bound to its argument.
 * Instances are shared by all transactions, so they must be immutable and thread-safe, and every
 * implementation must run in time linear in the input length.
 */
@FunctionalInterface
public interface Operator {

    /**
     * Tests one (already transformed) value.
     *
     * @param input the value; never null
     * @param context per-transaction services: macro expansion and capture groups
     * @return true when the operator matches (negation is applied by the engine, not here)
     */
    boolean matches(String input, MatchContext context);
}

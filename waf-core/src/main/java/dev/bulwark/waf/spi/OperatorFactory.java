package dev.bulwark.waf.spi;

/**
 * Compiles an operator from its argument text, once per rule set. Throw
 * {@link IllegalArgumentException} with a precise message when the argument is invalid
 * (for example a regex that does not compile); the loader reports it with the rule id.
 */
@FunctionalInterface
public interface OperatorFactory {

    /**
     * @param argument the operator argument as written in the rule (may contain {@code %{...}}
     *     macros, which the operator expands per transaction through {@link MatchContext#expand})
     * @param support load-time services (data files)
     */
    Operator create(String argument, OperatorSupport support);
}

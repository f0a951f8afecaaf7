package dev.bulwark.waf.match;

import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.OperatorSupport;

/**
 * The case-sensitive string comparisons. All but {@code strmatch} expand {@code %{...}} macros
 * in their argument per call; without a macro the argument (and its search table) is prepared
 * once. An empty argument is a needle found everywhere, as in ModSecurity and Coraza.
 */
final class StringOperators {

    private StringOperators() {
    }

    /** {@code @contains}: the argument occurs in the input. */
    static Operator contains(String argument, OperatorSupport support) {
        MacroText arg = MacroText.of(argument);
        if (arg.hasMacro()) {
            return (input, ctx) -> Finder.contains(input, arg.resolve(ctx));
        }
        Finder finder = Finder.of(arg.text());
        return (input, ctx) -> finder.in(input);
    }

    /** {@code @strmatch}: like {@code @contains}, but the argument is literal (no macros). */
    static Operator strmatch(String argument, OperatorSupport support) {
        Finder finder = Finder.of(argument == null ? "" : argument);
        return (input, ctx) -> finder.in(input);
    }

    /**
     * {@code @containsWord}: the argument occurs in the input with a word boundary on both sides.
     * Word characters are ASCII letters, digits and '_' (ModSecurity tests bytes with
     * {@code isalnum} in the C locale, so every non-ASCII character is a boundary).
     */
    static Operator containsWord(String argument, OperatorSupport support) {
        MacroText arg = MacroText.of(argument);
        if (arg.hasMacro()) {
            return (input, ctx) -> containsWord(Finder.of(arg.resolve(ctx)), input);
        }
        Finder finder = Finder.of(arg.text());
        return (input, ctx) -> containsWord(finder, input);
    }

    private static boolean containsWord(Finder finder, String input) {
        int m = finder.needle().length();
        return finder.anyMatch(input, start -> {
            int end = start + m;
            return (start == 0 || !isWordChar(input.charAt(start - 1)))
                    && (end == input.length() || !isWordChar(input.charAt(end)));
        });
    }

    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_';
    }

    /** {@code @beginsWith}: the input starts with the argument. */
    static Operator beginsWith(String argument, OperatorSupport support) {
        MacroText arg = MacroText.of(argument);
        return (input, ctx) -> input.startsWith(arg.resolve(ctx));
    }

    /** {@code @endsWith}: the input ends with the argument. */
    static Operator endsWith(String argument, OperatorSupport support) {
        MacroText arg = MacroText.of(argument);
        return (input, ctx) -> input.endsWith(arg.resolve(ctx));
    }

    /** {@code @streq}: the input equals the argument. */
    static Operator streq(String argument, OperatorSupport support) {
        MacroText arg = MacroText.of(argument);
        return (input, ctx) -> input.equals(arg.resolve(ctx));
    }

    /**
     * {@code @within}: the input occurs as a substring of the argument (ModSecurity semantics;
     * CRS writes lists such as {@code |GET| |POST|} or {@code GET HEAD POST} and relies on
     * this). An empty input is found in every argument.
     */
    static Operator within(String argument, OperatorSupport support) {
        MacroText arg = MacroText.of(argument);
        return (input, ctx) -> Finder.contains(arg.resolve(ctx), input);
    }
}

package dev.bulwark.waf.match;

import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.OperatorFactory;

/**
 * The integer comparisons {@code @eq @ge @gt @le @lt}. Both the input and the (macro-expanded)
 * argument are read the way C's {@code atoi} reads them, as ModSecurity does: leading
 * whitespace, an optional sign, then decimal digits up to the first non-digit; anything that is
 * not a number reads as 0. Values beyond the {@code long} range saturate instead of wrapping,
 * so a huge number still compares as huge.
 */
final class NumericOperators {

    /** The comparison applied as {@code input <op> argument}. */
    enum Cmp { EQ, GE, GT, LE, LT }

    private NumericOperators() {
    }

    static OperatorFactory factory(Cmp cmp) {
        return (argument, support) -> {
            MacroText arg = MacroText.of(argument);
            if (arg.hasMacro()) {
                return (input, ctx) -> compare(cmp, atoi(input), atoi(arg.resolve(ctx)));
            }
            long fixed = atoi(arg.text());
            return (Operator) (input, ctx) -> compare(cmp, atoi(input), fixed);
        };
    }

    static boolean compare(Cmp cmp, long value, long against) {
        switch (cmp) {
            case EQ: return value == against;
            case GE: return value >= against;
            case GT: return value > against;
            case LE: return value <= against;
            default: return value < against;
        }
    }

    /** C {@code atoi} semantics with saturation; never throws. */
    static long atoi(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        // Accumulate negatively so that Long.MIN_VALUE is reachable exactly.
        long acc = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            int d = c - '0';
            if (acc < (Long.MIN_VALUE + d) / 10) {
                acc = Long.MIN_VALUE; // saturate; further digits cannot change it
                break;
            }
            acc = acc * 10 - d;
        }
        if (negative) {
            return acc;
        }
        return acc == Long.MIN_VALUE ? Long.MAX_VALUE : -acc;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}

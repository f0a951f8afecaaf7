package dev.bulwark.examples;

import dev.bulwark.waf.Phase;
import dev.bulwark.waf.Severity;
import dev.bulwark.waf.rule.Rule;
import dev.bulwark.waf.spi.ExtensionRegistry;
import dev.bulwark.waf.spi.MatchContext;
import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.WafExtension;

/**
 * An example extension: the operator {@code @luhnCheck}, which finds payment card numbers (13 to
 * 19 digits, optionally grouped with single spaces or dashes, passing the Luhn checksum), and a
 * rule built in Java that uses it to stop card numbers leaking out in response bodies.
 *
 * <p>It is listed in {@code META-INF/services/dev.bulwark.waf.spi.WafExtension}, so every
 * {@code Waf} built with this jar on the class path picks it up. Rule files can use the operator
 * as well:
 *
 * <pre>
 * - id: 10002
 *   phase: 2
 *   targets: ["ARGS:comment"]
 *   operator: "@luhnCheck"
 *   action: deny
 * </pre>
 */
public final class CustomRuleExtension implements WafExtension {

    /** The id of the rule this extension adds. */
    public static final long CARD_LEAK_RULE_ID = 10_001;

    @Override
    public String name() {
        return "example-luhn";
    }

    @Override
    public void register(ExtensionRegistry registry) {
        registry.operator("luhnCheck", (argument, support) -> new LuhnOperator());
        registry.rule(Rule.builder(CARD_LEAK_RULE_ID)
                .phase(Phase.RESPONSE_BODY)
                .target("RESPONSE_BODY")
                .operator("luhnCheck", "")
                .action(Rule.Action.DENY)
                .severity(Severity.CRITICAL)
                .message("Payment card number in response body")
                .tag("example/data-leakage", "pci")
                .build());
    }

    /**
     * Matches when the input contains a run of 13 to 19 digits (single spaces or dashes may group
     * them) that passes the Luhn checksum. Longer digit runs are not card numbers and are
     * skipped. One pass over the input, constant memory.
     */
    static final class LuhnOperator implements Operator {

        @Override
        public boolean matches(String input, MatchContext context) {
            int[] digits = new int[19];
            int count = 0;
            boolean separator = false;
            int n = input.length();
            for (int i = 0; i <= n; i++) {
                char c = i < n ? input.charAt(i) : '\0';
                if (c >= '0' && c <= '9') {
                    if (count < digits.length) {
                        digits[count] = c - '0';
                    }
                    count++;
                    separator = false;
                } else if ((c == ' ' || c == '-') && count > 0 && !separator) {
                    separator = true; // one separator between digit groups is allowed
                } else {
                    if (count >= 13 && count <= 19 && luhn(digits, 0, count)) {
                        if (context.captureEnabled()) {
                            StringBuilder b = new StringBuilder(count);
                            for (int k = 0; k < count; k++) {
                                b.append((char) ('0' + digits[k]));
                            }
                            context.capture(0, b.toString());
                        }
                        return true;
                    }
                    count = 0;
                    separator = false;
                }
            }
            return false;
        }

        /** The Luhn (mod 10) checksum over {@code digits[from, to)}. */
        static boolean luhn(int[] digits, int from, int to) {
            int sum = 0;
            boolean doubleIt = false;
            for (int i = to - 1; i >= from; i--) {
                int d = digits[i];
                if (doubleIt) {
                    d *= 2;
                    if (d > 9) {
                        d -= 9;
                    }
                }
                sum += d;
                doubleIt = !doubleIt;
            }
            return sum % 10 == 0;
        }
    }
}

package dev.bulwark.waf;

import java.util.List;

/**
 * One rule that matched in a transaction: which rule, on which variable, and the (truncated,
 * secret-masked) value that matched.
 *
 * @param ruleId the rule id (for a chain, the id of its first rule)
 * @param phase the phase in which it matched
 * @param message the rule's message, macros expanded
 * @param severity the rule's severity, or null
 * @param tags the rule's tags
 * @param variable the matched variable, as {@code ARGS:q} or {@code REQUEST_HEADERS:User-Agent}
 * @param value the matched value after transformations, truncated and with secrets masked
 * @param logData the rule's {@code logdata}, macros expanded, or empty
 * @param paranoiaLevel the paranoia level of the rule (1 to 4)
 */
public record RuleMatch(long ruleId, Phase phase, String message, Severity severity, List<String> tags,
                        String variable, String value, String logData, int paranoiaLevel) {

    public RuleMatch {
        tags = List.copyOf(tags);
        message = message == null ? "" : message;
        logData = logData == null ? "" : logData;
        variable = variable == null ? "" : variable;
        value = value == null ? "" : value;
    }
}

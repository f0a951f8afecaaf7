package dev.bulwark.waf.rule;

import java.util.Locale;

/**
 * A {@code ctl} action that changes the current transaction only: runtime exclusions
 * ({@code ruleRemoveById}, {@code ruleRemoveByTag}, {@code ruleRemoveTargetById},
 * {@code ruleRemoveTargetByTag}), {@code ruleEngine}, {@code requestBodyProcessor},
 * {@code requestBodyAccess}, {@code auditEngine}.
 *
 * @param directive the directive, as written (case-insensitive)
 * @param value its value
 */
public record Ctl(String directive, String value) {

    /** Parses {@code directive=value}. */
    public static Ctl parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("ctl needs directive=value, got '" + text + "'");
        }
        String d = text.substring(0, eq).trim();
        String known = d.toLowerCase(Locale.ROOT);
        switch (known) {
            case "ruleremovebyid": case "ruleremovebytag": case "ruleremovebymsg":
            case "ruleremovetargetbyid": case "ruleremovetargetbytag": case "ruleremovetargetbymsg":
            case "ruleengine": case "requestbodyprocessor": case "requestbodyaccess":
            case "responsebodyaccess": case "auditengine": case "auditlogparts": case "forcerequestbodyvariable":
            case "requestbodylimit": case "debugloglevel":
                break;
            default:
                throw new IllegalArgumentException("unknown ctl directive '" + d + "'");
        }
        return new Ctl(d, text.substring(eq + 1).trim());
    }
}

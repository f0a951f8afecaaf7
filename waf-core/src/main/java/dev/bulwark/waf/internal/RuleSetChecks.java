package dev.bulwark.waf.internal;

import dev.bulwark.waf.Mode;
import dev.bulwark.waf.WafConfigException;
import dev.bulwark.waf.request.BodyProcessor;
import dev.bulwark.waf.rule.Ctl;
import dev.bulwark.waf.rule.Rule;
import dev.bulwark.waf.rule.Target;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Load-time checks that catch a configuration which loads but silently protects less than its
 * author believes: a removal or a {@code ctl} that names no rule or variable (a typo leaves the
 * false positive it was meant to fix, or disables a rule nobody meant to touch), and an empty rule
 * set in blocking mode. Each failure names the source, the rule id and the field.
 */
final class RuleSetChecks {

    /** A removal entry and where it was written, for the error message. */
    record Removal(String spec, String source) {
    }

    private final Set<Long> ids = new HashSet<>();
    private final Set<String> tags = new HashSet<>();

    /** Indexes the ids and tags of every loaded rule, before any removal. */
    RuleSetChecks(List<Rule> loaded) {
        for (Rule r : loaded) {
            if (r.isMarker()) {
                continue;
            }
            ids.add(r.id());
            for (String t : r.tags()) {
                tags.add(t.toLowerCase(Locale.ROOT));
            }
        }
    }

    /** Every {@code removeById} entry (id or range, comma or space separated) must name a loaded rule. */
    void removalsById(List<Removal> removals) {
        for (Removal removal : removals) {
            String unknown = partNamingNoRule(removal.spec());
            if (unknown != null) {
                throw new WafConfigException(removal.source(), null, "rules.removeById",
                        "'" + unknown + "' names no loaded rule");
            }
        }
    }

    /**
     * The first id or range of a comma/space separated list that names no loaded rule, or null;
     * throws {@link WafConfigException} for a part that is no id or range.
     */
    private String partNamingNoRule(String spec) {
        for (String part : Text.split(spec, " ,")) {
            IdSet one = IdSet.parse(List.of(part));
            if (ids.stream().noneMatch(one::contains)) {
                return part;
            }
        }
        return null;
    }

    /** Every {@code removeByTag} entry must be a tag of some loaded rule. */
    void removalsByTag(List<Removal> removals) {
        for (Removal removal : removals) {
            if (!tags.contains(removal.spec().toLowerCase(Locale.ROOT))) {
                throw new WafConfigException(removal.source(), null, "rules.removeByTag",
                        "tag '" + removal.spec() + "' is on no loaded rule");
            }
        }
    }

    /**
     * Every {@code ctl} of every rule must be one the engine carries out, with a value it
     * understands. Values that hold macros are only known per request and are checked then.
     */
    void ctls(List<Rule> rules) {
        for (Rule r : rules) {
            for (Ctl ctl : r.ctls()) {
                String problem = ctlProblem(ctl);
                if (problem != null) {
                    throw new WafConfigException(r.source(), Long.toString(r.id()), "ctl",
                            ctl.directive() + "=" + ctl.value() + ": " + problem);
                }
            }
        }
    }

    private String ctlProblem(Ctl ctl) {
        String d = ctl.directive().toLowerCase(Locale.ROOT);
        String v = ctl.value();
        boolean dynamic = v.contains("%{");
        switch (d) {
            case "ruleremovebymsg":
            case "ruleremovetargetbymsg":
                // Messages are prose that changes between rule set versions: an exclusion keyed
                // on one silently stops working after an upgrade.
                return "removal by message is not supported; use the rule id or a tag";
            case "ruleremovebyid":
                if (dynamic) {
                    return null;
                }
                try {
                    String unknown = partNamingNoRule(v);
                    return unknown == null ? null : "'" + unknown + "' names no loaded rule";
                } catch (WafConfigException e) {
                    return e.reason();
                }
            case "ruleremovebytag":
                return dynamic || tags.contains(v.trim().toLowerCase(Locale.ROOT)) ? null
                        : "tag '" + v.trim() + "' is on no loaded rule";
            case "ruleremovetargetbyid":
            case "ruleremovetargetbytag":
                return targetRemovalProblem(d.equals("ruleremovetargetbyid"), v, dynamic);
            case "ruleengine":
                try {
                    Mode.parse(v);
                    return null;
                } catch (IllegalArgumentException e) {
                    return "expected On, Off or DetectionOnly";
                }
            case "requestbodyprocessor":
                try {
                    BodyProcessor.valueOf(v.trim().toUpperCase(Locale.ROOT));
                    return null;
                } catch (IllegalArgumentException e) {
                    return "unknown body processor (expected URLENCODED, MULTIPART, JSON or XML)";
                }
            default:
                return null;
        }
    }

    private String targetRemovalProblem(boolean byId, String v, boolean dynamic) {
        int semi = v.indexOf(';');
        if (semi < 0) {
            return "expected " + (byId ? "id" : "tag") + ";VARIABLE[:key]";
        }
        String what = v.substring(0, semi).trim();
        String target = v.substring(semi + 1).trim();
        if (!dynamic) {
            if (byId) {
                try {
                    if (!ids.contains(Long.parseLong(what))) {
                        return "rule " + what + " is not loaded";
                    }
                } catch (NumberFormatException e) {
                    return "'" + what + "' is not a rule id";
                }
            } else if (!tags.contains(what.toLowerCase(Locale.ROOT))) {
                return "tag '" + what + "' is on no loaded rule";
            }
        }
        Target t;
        try {
            t = Target.parse(target);
        } catch (RuntimeException e) {
            return "invalid target '" + target + "': " + e.getMessage();
        }
        if (!Engine.VARIABLES.contains(t.collection())) {
            return "unknown variable '" + t.collection() + "'";
        }
        return null;
    }

    /**
     * A WAF in blocking mode with no active rule protects nothing while looking as if it did:
     * refuse it unless the configuration says this is intended.
     */
    static void notEmpty(int activeRules, Mode mode, boolean allowEmpty, String source) {
        if (activeRules == 0 && mode == Mode.ON && !allowEmpty) {
            throw new WafConfigException(source, null, "rules",
                    "no active rule in mode On (bundled rules off, all removed, or all above the paranoia level);"
                            + " set allowEmptyRuleSet: true if this is intended");
        }
    }
}

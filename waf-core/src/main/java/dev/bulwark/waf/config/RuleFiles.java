package dev.bulwark.waf.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.waf.Phase;
import dev.bulwark.waf.Severity;
import dev.bulwark.waf.WafConfigException;
import dev.bulwark.waf.rule.Ctl;
import dev.bulwark.waf.rule.Rule;
import dev.bulwark.waf.rule.SetVar;
import dev.bulwark.waf.rule.Target;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses Bulwark rule files (YAML or JSON) into {@link Rule}s. Every error names the source,
 * the rule id and the field; unknown fields are errors, so that a typo never silently disables
 * a rule. See the README's "Rule files" section for the format.
 */
public final class RuleFiles {

    private static final Set<String> RULE_FIELDS = Set.of("id", "phase", "msg", "message", "severity", "paranoia",
            "tags", "targets", "transforms", "operator", "action", "status", "redirect", "capture", "multiMatch",
            "logdata", "setvar", "ctl", "skipAfter", "skip", "chain", "log", "description", "marker");

    private RuleFiles() {
    }

    /** Parses the text of one rule file; {@code source} names it in error messages. */
    public static List<Rule> parse(String source, String text) {
        JsonNode root;
        try {
            root = Yaml.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new WafConfigException(source, null, null, "not valid YAML/JSON: " + Yaml.brief(e));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        JsonNode rulesNode = root.isArray() ? root : root.get("rules");
        if (root.isObject()) {
            Iterator<String> names = root.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!n.equals("rules")) {
                    throw new WafConfigException(source, null, n, "unknown top-level field (expected 'rules')");
                }
            }
        }
        if (rulesNode == null || rulesNode.isNull()) {
            return List.of();
        }
        if (!rulesNode.isArray()) {
            throw new WafConfigException(source, null, "rules", "must be a list of rules");
        }
        List<Rule> rules = new ArrayList<>();
        int index = 0;
        for (JsonNode node : rulesNode) {
            index++;
            if (!node.isObject()) {
                throw new WafConfigException(source, "#" + index, null, "each rule must be a mapping");
            }
            rules.add(parseRule(source, (ObjectNode) node, index, false));
        }
        return rules;
    }

    private static Rule parseRule(String source, ObjectNode node, int index, boolean chained) {
        String where = node.has("id") ? node.get("id").asText() : (node.has("marker") ? "marker " + node.get("marker").asText() : "#" + index);
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            String f = fields.next().getKey();
            if (!RULE_FIELDS.contains(f)) {
                throw new WafConfigException(source, where, f, "unknown field");
            }
        }
        try {
            if (node.has("marker")) {
                if (node.size() != 1) {
                    throw new WafConfigException(source, where, "marker", "a marker entry takes no other fields");
                }
                return Rule.marker(text(node, "marker"));
            }
            long id = 0;
            if (chained) {
                for (String forbidden : List.of("id", "phase", "paranoia", "skipAfter")) {
                    if (node.has(forbidden)) {
                        throw new WafConfigException(source, where, forbidden, "not allowed in a chained rule");
                    }
                }
            } else {
                JsonNode idNode = node.get("id");
                if (idNode == null) {
                    throw new WafConfigException(source, where, "id", "missing");
                }
                if (!idNode.canConvertToLong() || idNode.asLong() <= 0) {
                    throw new WafConfigException(source, where, "id", "must be a positive integer");
                }
                id = idNode.asLong();
            }
            Rule.Builder b = Rule.builder(id).source(source);
            if (node.has("phase")) {
                b.phase(Phase.of(text(node, "phase")));
            }
            if (node.has("msg")) {
                b.message(text(node, "msg"));
            } else if (node.has("message")) {
                b.message(text(node, "message"));
            }
            if (node.has("severity")) {
                b.severity(Severity.parse(text(node, "severity")));
            }
            if (node.has("paranoia")) {
                b.paranoiaLevel(node.get("paranoia").asInt(-1));
            }
            for (String tag : list(node, "tags")) {
                b.tag(tag);
            }
            List<String> targets = list(node, "targets");
            if (targets.isEmpty()) {
                throw new WafConfigException(source, where, "targets", "at least one target is required");
            }
            for (String t : targets) {
                b.target(Target.parse(t));
            }
            for (String t : list(node, "transforms")) {
                b.transform(t.startsWith("t:") ? t.substring(2) : t);
            }
            parseOperator(source, where, node, b);
            if (node.has("action")) {
                b.action(action(text(node, "action")));
            } else {
                b.action(chained ? Rule.Action.NONE : Rule.Action.BLOCK);
            }
            if (node.has("status")) {
                int status = node.get("status").asInt(-1);
                if (status < 100 || status > 599) {
                    throw new WafConfigException(source, where, "status", "must be an HTTP status code");
                }
                b.status(status);
            }
            if (node.has("redirect")) {
                b.redirectUrl(text(node, "redirect"));
            }
            b.capture(bool(node, "capture"));
            b.multiMatch(bool(node, "multiMatch"));
            if (node.has("log")) {
                b.log(bool(node, "log"));
            }
            if (node.has("logdata")) {
                b.logData(text(node, "logdata"));
            }
            for (String s : list(node, "setvar")) {
                b.setVar(SetVar.parse(s));
            }
            for (String s : list(node, "ctl")) {
                b.ctl(Ctl.parse(s));
            }
            if (node.has("skipAfter")) {
                b.skipAfter(text(node, "skipAfter"));
            }
            if (node.has("skip")) {
                b.skip(node.get("skip").asInt());
            }
            if (node.has("chain")) {
                JsonNode c = node.get("chain");
                if (!c.isObject()) {
                    throw new WafConfigException(source, where, "chain", "must be a mapping (one chained rule)");
                }
                Rule next;
                try {
                    next = parseRule(source, (ObjectNode) c, index, true);
                } catch (WafConfigException e) {
                    throw new WafConfigException(source, where, "chain." + e.field(), e.reason());
                }
                b.chain(next);
            }
            Rule rule = b.build();
            if (rule.action() == Rule.Action.REDIRECT && rule.redirectUrl() == null) {
                throw new WafConfigException(source, where, "redirect", "action redirect needs a 'redirect' URL");
            }
            return rule;
        } catch (IllegalArgumentException e) {
            throw new WafConfigException(source, where, null, e.getMessage());
        }
    }

    private static void parseOperator(String source, String where, ObjectNode node, Rule.Builder b) {
        String op = text(node, "operator");
        if (op == null) {
            throw new WafConfigException(source, where, "operator", "missing");
        }
        String t = op.strip();
        boolean negated = false;
        if (t.startsWith("!")) {
            negated = true;
            t = t.substring(1).stripLeading();
        }
        String name;
        String arg;
        if (t.startsWith("@")) {
            int sp = indexOfSpace(t);
            name = sp < 0 ? t.substring(1) : t.substring(1, sp);
            arg = sp < 0 ? "" : t.substring(sp + 1);
        } else {
            name = "rx";
            arg = t;
        }
        if (name.isEmpty()) {
            throw new WafConfigException(source, where, "operator", "operator name missing after '@'");
        }
        b.operator(name, arg).negated(negated);
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    static Rule.Action action(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "")) {
            case "none": return Rule.Action.NONE;
            case "pass": return Rule.Action.PASS;
            case "block": return Rule.Action.BLOCK;
            case "deny": return Rule.Action.DENY;
            case "drop": return Rule.Action.DROP;
            case "allow": return Rule.Action.ALLOW;
            case "allow:phase": case "allowphase": return Rule.Action.ALLOW_PHASE;
            case "allow:request": case "allowrequest": return Rule.Action.ALLOW_REQUEST;
            case "redirect": return Rule.Action.REDIRECT;
            default: throw new IllegalArgumentException("unknown action '" + text
                    + "' (expected block, deny, pass, allow, allow:phase, allow:request, drop, redirect, none)");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("field '" + field + "' must be a single value");
        }
        return v.asText();
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        String t = v.asText().trim().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("yes") || t.equals("on")) {
            return true;
        }
        if (t.equals("false") || t.equals("no") || t.equals("off")) {
            return false;
        }
        throw new IllegalArgumentException("field '" + field + "' must be true or false");
    }

    static List<String> list(JsonNode node, String field) {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isValueNode()) {
                    throw new IllegalArgumentException("field '" + field + "' must be a list of strings");
                }
                out.add(e.asText());
            }
        } else if (v.isValueNode()) {
            out.add(v.asText());
        } else {
            throw new IllegalArgumentException("field '" + field + "' must be a list of strings");
        }
        return out;
    }
}

package dev.bulwark.waf.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.waf.Limits;
import dev.bulwark.waf.Mode;
import dev.bulwark.waf.StrictParsing;
import dev.bulwark.waf.WafConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed Bulwark configuration file ({@code bulwark.yaml}). Fields that the file does not set
 * are null. Unknown keys are errors. See the README's "Configuration" section.
 *
 * @param source the file name, for messages
 * @param baseDir the directory that relative rule file paths resolve against
 */
public record ConfigFile(String source, Path baseDir, Mode mode, Integer paranoiaLevel, Integer inboundThreshold,
                         Integer outboundThreshold, Integer blockStatus, Boolean anomalyScoring, Boolean failOpen,
                         Limits limits, Boolean bundledRules, List<String> ruleFiles, List<String> removeById,
                         List<String> removeByTag, String auditFile, Boolean auditAll,
                         StrictParsing strict, Boolean allowEmptyRuleSet) {

    private static final Set<String> TOP = Set.of("mode", "paranoiaLevel", "anomalyScoring", "inboundThreshold",
            "outboundThreshold", "blockStatus", "failOpen", "limits", "rules", "audit", "strict", "allowEmptyRuleSet");
    private static final Set<String> RULES = Set.of("bundled", "files", "removeById", "removeByTag");
    private static final Set<String> AUDIT = Set.of("file", "all");
    private static final Set<String> STRICT = Set.of("enabled", "allowedCharsets", "pathParameters",
            "allowedPathParameters");
    private static final Set<String> LIMITS = Set.of("maxRequestBodyBytes", "maxInspectedBodyBytes",
            "maxResponseBodyBytes", "maxArgs", "maxJsonDepth", "maxMultipartParts", "maxHeaderCount", "onBodyLimit",
            "maxDecompressionRatio", "maxInFlightBodyBytes");

    /** Reads and validates a configuration file. */
    public static ConfigFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WafConfigException(file.toString(), null, null, "cannot read configuration: " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(file.toString(), base, text);
    }

    /** Parses configuration text; relative rule paths resolve against {@code baseDir}. */
    public static ConfigFile parse(String source, Path baseDir, String text) {
        JsonNode root;
        try {
            root = Yaml.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new WafConfigException(source, null, null, "not valid YAML/JSON: " + Yaml.brief(e));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = Yaml.MAPPER.createObjectNode();
        }
        if (!root.isObject()) {
            throw new WafConfigException(source, null, null, "the configuration must be a mapping");
        }
        checkKeys(source, "", root, TOP);
        try {
            Mode mode = null;
            if (root.has("mode")) {
                JsonNode m = root.get("mode");
                // YAML 1.1 reads an unquoted On/Off as a boolean.
                mode = m.isBoolean() ? (m.booleanValue() ? Mode.ON : Mode.OFF) : Mode.parse(m.asText());
            }
            Integer pl = integer(source, root, "paranoiaLevel", 1, 4);
            Integer in = integer(source, root, "inboundThreshold", 1, 100000);
            Integer out = integer(source, root, "outboundThreshold", 1, 100000);
            Integer status = integer(source, root, "blockStatus", 400, 599);
            Boolean scoring = bool(source, root, "anomalyScoring");
            Boolean failOpen = bool(source, root, "failOpen");
            Boolean allowEmpty = bool(source, root, "allowEmptyRuleSet");
            Limits limits = null;
            if (root.has("limits")) {
                limits = limits(source, root.get("limits"));
            }
            Boolean bundled = null;
            List<String> files = new ArrayList<>();
            List<String> removeById = new ArrayList<>();
            List<String> removeByTag = new ArrayList<>();
            JsonNode rules = root.get("rules");
            if (rules != null && !rules.isNull()) {
                checkKeys(source, "rules.", rules, RULES);
                bundled = bool(source, rules, "bundled");
                files.addAll(RuleFiles.list(rules, "files"));
                removeById.addAll(RuleFiles.list(rules, "removeById"));
                removeByTag.addAll(RuleFiles.list(rules, "removeByTag"));
            }
            String auditFile = null;
            Boolean auditAll = null;
            JsonNode audit = root.get("audit");
            if (audit != null && !audit.isNull()) {
                checkKeys(source, "audit.", audit, AUDIT);
                auditFile = audit.has("file") ? audit.get("file").asText() : null;
                auditAll = bool(source, audit, "all");
            }
            StrictParsing strict = null;
            JsonNode strictNode = root.get("strict");
            if (strictNode != null && !strictNode.isNull()) {
                strict = strict(source, strictNode);
            }
            return new ConfigFile(source, baseDir, mode, pl, in, out, status, scoring, failOpen, limits, bundled,
                    List.copyOf(files), List.copyOf(removeById), List.copyOf(removeByTag), auditFile, auditAll, strict,
                    allowEmpty);
        } catch (IllegalArgumentException e) {
            throw new WafConfigException(source, null, null, e.getMessage());
        }
    }

    private static Limits limits(String source, JsonNode node) {
        checkKeys(source, "limits.", node, LIMITS);
        Limits d = Limits.defaults();
        long maxBody = node.has("maxRequestBodyBytes") ? longValue(source, node, "maxRequestBodyBytes") : d.maxRequestBodyBytes();
        int inspected = node.has("maxInspectedBodyBytes") ? (int) longValue(source, node, "maxInspectedBodyBytes")
                : (int) Math.min(d.maxInspectedBodyBytes(), maxBody);
        Limits.BodyLimitAction action = d.onBodyLimit();
        if (node.has("onBodyLimit")) {
            String a = node.get("onBodyLimit").asText().trim().toLowerCase(Locale.ROOT).replace("_", "-");
            switch (a) {
                case "reject": action = Limits.BodyLimitAction.REJECT; break;
                case "inspect-partial": case "partial": action = Limits.BodyLimitAction.INSPECT_PARTIAL; break;
                default: throw new WafConfigException(source, null, "limits.onBodyLimit", "expected reject or inspect-partial, got '" + a + "'");
            }
        }
        int ratio = node.has("maxDecompressionRatio") ? (int) longValue(source, node, "maxDecompressionRatio")
                : d.maxDecompressionRatio();
        long inFlight = node.has("maxInFlightBodyBytes") ? longValue(source, node, "maxInFlightBodyBytes")
                : d.maxInFlightBodyBytes();
        try {
            return new Limits(maxBody, inspected,
                    node.has("maxResponseBodyBytes") ? (int) longValue(source, node, "maxResponseBodyBytes") : d.maxResponseBodyBytes(),
                    node.has("maxArgs") ? (int) longValue(source, node, "maxArgs") : d.maxArgs(),
                    node.has("maxJsonDepth") ? (int) longValue(source, node, "maxJsonDepth") : d.maxJsonDepth(),
                    node.has("maxMultipartParts") ? (int) longValue(source, node, "maxMultipartParts") : d.maxMultipartParts(),
                    node.has("maxHeaderCount") ? (int) longValue(source, node, "maxHeaderCount") : d.maxHeaderCount(),
                    action, ratio, inFlight);
        } catch (IllegalArgumentException e) {
            throw new WafConfigException(source, null, "limits", e.getMessage());
        }
    }

    /** The {@code strict:} section; keys it does not set keep {@link StrictParsing#defaults()}. */
    private static StrictParsing strict(String source, JsonNode node) {
        checkKeys(source, "strict.", node, STRICT);
        StrictParsing s = StrictParsing.defaults();
        JsonNode enabled = node.get("enabled");
        if (enabled != null && !enabled.isNull()) {
            if (!enabled.isBoolean()) {
                throw new WafConfigException(source, null, "strict.enabled", "must be true or false");
            }
            s = s.withEnabled(enabled.booleanValue());
        }
        if (node.has("pathParameters")) {
            JsonNode v = node.get("pathParameters");
            String a = v.isTextual() ? v.asText().trim().toLowerCase(Locale.ROOT) : "";
            switch (a) {
                case "reject": s = s.withPathParameters(StrictParsing.PathParameters.REJECT); break;
                case "allow": s = s.withPathParameters(StrictParsing.PathParameters.ALLOW); break;
                default: throw new WafConfigException(source, null, "strict.pathParameters",
                        "expected reject or allow, got '" + v.asText() + "'");
            }
        }
        try {
            if (node.has("allowedCharsets")) {
                s = s.withAllowedCharsets(stringList(source, node, "allowedCharsets"));
            }
            if (node.has("allowedPathParameters")) {
                s = s.withAllowedPathParameters(stringList(source, node, "allowedPathParameters"));
            }
        } catch (IllegalArgumentException e) {
            throw new WafConfigException(source, null, "strict", e.getMessage());
        }
        return s;
    }

    /** A list of strings; a single string is a list of one. */
    private static List<String> stringList(String source, JsonNode node, String field) {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(v.asText());
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw new WafConfigException(source, null, "strict." + field, "entries must be strings, got " + e);
                }
                out.add(e.asText());
            }
        } else if (!v.isNull()) {
            throw new WafConfigException(source, null, "strict." + field, "must be a list of strings");
        }
        return out;
    }

    private static long longValue(String source, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new WafConfigException(source, null, "limits." + field, "must be an integer");
        }
        if (v.asLong() > Integer.MAX_VALUE && !field.equals("maxRequestBodyBytes")
                && !field.equals("maxInFlightBodyBytes")) {
            throw new WafConfigException(source, null, "limits." + field, "is too large");
        }
        return v.asLong();
    }

    private static Integer integer(String source, JsonNode node, String field, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw new WafConfigException(source, null, field, "must be an integer from " + min + " to " + max);
        }
        return v.asInt();
    }

    private static Boolean bool(String source, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new WafConfigException(source, null, field, "must be true or false");
        }
        return v.booleanValue();
    }

    private static void checkKeys(String source, String prefix, JsonNode node, Set<String> allowed) {
        if (!node.isObject()) {
            throw new WafConfigException(source, null, prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1),
                    "must be a mapping");
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            String k = it.next().getKey();
            if (!allowed.contains(k)) {
                throw new WafConfigException(source, null, prefix + k, "unknown setting (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }
}

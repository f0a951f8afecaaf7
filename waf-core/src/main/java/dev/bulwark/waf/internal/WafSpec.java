package dev.bulwark.waf.internal;

import dev.bulwark.waf.Limits;
import dev.bulwark.waf.Mode;
import dev.bulwark.waf.StrictParsing;
import dev.bulwark.waf.audit.AuditSink;
import dev.bulwark.waf.rule.Rule;
import dev.bulwark.waf.spi.WafExtension;

import java.nio.file.Path;
import java.util.List;

/** Everything a {@code Waf.Builder} collected, handed to {@link Engine#build}; null settings were not set. Internal. */
public record WafSpec(Path configFile, Mode mode, Integer paranoiaLevel, Integer inboundThreshold,
                      Integer outboundThreshold, Integer blockStatus, Boolean anomalyScoring, Boolean failOpen,
                      Boolean auditAll, Limits limits, StrictParsing strict,
                      boolean bundledRules, List<Path> ruleFiles, List<String[]> ruleTexts, List<Rule> rules,
                      List<String> removeById, List<String> removeByTag, List<WafExtension> extensions,
                      boolean serviceLoader, List<AuditSink> auditSinks, Boolean allowEmptyRuleSet) {

    public WafSpec {
        ruleFiles = List.copyOf(ruleFiles);
        ruleTexts = List.copyOf(ruleTexts);
        rules = List.copyOf(rules);
        removeById = List.copyOf(removeById);
        removeByTag = List.copyOf(removeByTag);
        extensions = List.copyOf(extensions);
        auditSinks = List.copyOf(auditSinks);
    }
}

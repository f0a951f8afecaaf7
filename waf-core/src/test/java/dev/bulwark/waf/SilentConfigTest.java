package dev.bulwark.waf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configurations that would load yet protect less than their author believes are load errors:
 * a file without rules, an empty rule set in mode On, removals and ctl actions that name nothing.
 */
class SilentConfigTest {

    private static final String RULES = """
            rules:
              - {id: 10, phase: 1, tags: [attack-x], targets: [ARGS], operator: "@contains evil", action: deny}
              - {id: 11, phase: 1, tags: [attack-y], targets: [ARGS], operator: "@contains bad", action: deny}
            """;

    private static Waf.Builder builder() {
        return Waf.builder().serviceLoader(false).rules("app.yaml", RULES);
    }

    @Test
    void aConfigFileWithoutRulesLoadsTheBundledSet(@TempDir Path dir) throws IOException {
        // waf-rules is not on this module's class path: the error proves the bundled set was asked for.
        Files.writeString(dir.resolve("bulwark.yaml"), "mode: On\nparanoiaLevel: 1\n");
        WafConfigException e = assertThrows(WafConfigException.class, () -> Waf.fromConfig(dir.resolve("bulwark.yaml")));
        assertTrue(e.getMessage().contains("bundled rules"), e.getMessage());
        Files.writeString(dir.resolve("files.yaml"), "rules: {files: [r.yaml]}\n");
        Files.writeString(dir.resolve("r.yaml"), RULES);
        e = assertThrows(WafConfigException.class, () -> Waf.fromConfig(dir.resolve("files.yaml")));
        assertTrue(e.getMessage().contains("bundled rules"), "own rule files add to the bundled set: " + e.getMessage());
    }

    @Test
    void anEmptyRuleSetInModeOnIsAnError(@TempDir Path dir) throws IOException {
        WafConfigException e = assertThrows(WafConfigException.class, () -> Waf.builder().serviceLoader(false).build());
        assertEquals("rules", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("allowEmptyRuleSet"), e.getMessage());
        // Everything removed, or everything above the paranoia level, is just as empty.
        assertThrows(WafConfigException.class, () -> builder().removeRuleById("10-11").build());
        assertThrows(WafConfigException.class, () -> Waf.builder().serviceLoader(false)
                .rules("p.yaml", "rules:\n  - {id: 1, paranoia: 3, targets: [ARGS], operator: '@contains x'}\n").build());
        Files.writeString(dir.resolve("empty.yaml"), "rules: {bundled: false}\n");
        e = assertThrows(WafConfigException.class, () -> Waf.fromConfig(dir.resolve("empty.yaml")));
        assertTrue(e.getMessage().startsWith(dir.resolve("empty.yaml").toString()), e.getMessage());

        // Allowed when said so, and in modes that cannot block anyway.
        Files.writeString(dir.resolve("allowed.yaml"), "allowEmptyRuleSet: true\nrules: {bundled: false}\n");
        assertEquals(0, Waf.fromConfig(dir.resolve("allowed.yaml")).rules().size());
        assertEquals(Mode.DETECTION_ONLY, Waf.builder().serviceLoader(false).mode(Mode.DETECTION_ONLY).build().mode());
        assertEquals(0, Waf.builder().serviceLoader(false).allowEmptyRuleSet(true).build().rules().size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown id          | 12",
        "range with no rule  | 20-29",
        "one of a list       | '10, 12'",
    })
    void removeByIdNamingNothingIsAnError(String name, String spec) {
        WafConfigException e = assertThrows(WafConfigException.class, () -> builder().removeRuleById(spec).build());
        assertEquals("rules.removeById", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("names no loaded rule"), e.getMessage());
    }

    @Test
    void removalsThatNameRulesWork(@TempDir Path dir) throws IOException {
        assertEquals(1, builder().removeRuleById("10").build().rules().size());
        assertEquals(1, builder().removeRuleById("5-10").build().rules().size());
        assertEquals(1, builder().removeRuleByTag("ATTACK-Y").build().rules().size());
        WafConfigException e = assertThrows(WafConfigException.class, () -> builder().removeRuleByTag("attack-z").build());
        assertEquals("rules.removeByTag", e.field(), e.getMessage());

        Files.writeString(dir.resolve("r.yaml"), RULES);
        Files.writeString(dir.resolve("bulwark.yaml"), "rules: {bundled: false, files: [r.yaml], removeById: [\"13\"]}\n");
        e = assertThrows(WafConfigException.class, () -> Waf.fromConfig(dir.resolve("bulwark.yaml")));
        assertEquals(dir.resolve("bulwark.yaml").toString(), e.source(), "the error names the file that says it");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "remove unknown id         | ruleRemoveById=99",
        "remove unknown range      | ruleRemoveById=90-95",
        "remove unknown tag        | ruleRemoveByTag=attack-nope",
        "remove by message         | ruleRemoveByMsg=SQL injection",
        "target by message         | ruleRemoveTargetByMsg=SQL injection;ARGS:q",
        "target of unknown id      | ruleRemoveTargetById=99;ARGS:q",
        "target with bad id        | ruleRemoveTargetById=abc;ARGS:q",
        "target of unknown tag     | ruleRemoveTargetByTag=attack-nope;ARGS:q",
        "unknown variable          | ruleRemoveTargetById=10;ARGZ:q",
        "unknown variable by tag   | ruleRemoveTargetByTag=attack-x;REQUEST_HEADER:q",
        "target without variable   | ruleRemoveTargetById=10",
        "bad engine mode           | ruleEngine=Maybe",
        "bad body processor        | requestBodyProcessor=YAML",
    })
    void ctlNamingNothingIsAnError(String name, String ctl) {
        String yaml = RULES + "  - {id: 12, phase: 1, targets: [REQUEST_FILENAME], operator: '@streq /x', action: pass, ctl: ['"
                + ctl + "']}\n";
        WafConfigException e = assertThrows(WafConfigException.class,
                () -> Waf.builder().serviceLoader(false).rules("app.yaml", yaml).build());
        assertEquals("app.yaml", e.source(), e.getMessage());
        assertEquals("12", e.ruleId(), e.getMessage());
        assertEquals("ctl", e.field(), e.getMessage());
    }

    @Test
    void ctlThatNamesLoadedRulesAndVariablesLoads() {
        String yaml = RULES + """
                  - id: 12
                    phase: 1
                    targets: [REQUEST_FILENAME]
                    operator: "@streq /upload"
                    action: pass
                    ctl: [ruleRemoveById=10, "ruleRemoveById=10-11", ruleRemoveByTag=attack-y,
                          "ruleRemoveTargetById=10;ARGS:q", "ruleRemoveTargetByTag=attack-x;REQUEST_HEADERS:/^x-/",
                          ruleEngine=DetectionOnly, requestBodyProcessor=JSON, "ruleRemoveById=%{tx.dynamic_id}"]
                """;
        Waf w = Waf.builder().serviceLoader(false).rules("app.yaml", yaml).build();
        assertEquals(3, w.rules().size());
    }

    @Test
    void partialInspectionIsVisibleToRules() {
        // With inspect-partial, bytes past the inspection limit pass unseen: INBOUND_DATA_ERROR
        // tells rules (and the audit log, through them) that this happened.
        Waf w = Waf.builder().serviceLoader(false)
                .limits(Limits.defaults().withMaxInspectedBodyBytes(16).withOnBodyLimit(Limits.BodyLimitAction.INSPECT_PARTIAL))
                .rules("t", "rules:\n  - {id: 1, phase: 2, targets: [INBOUND_DATA_ERROR], operator: '@eq 1', action: deny, status: 413}\n")
                .build();
        Verdict v = EngineTest.post(w, "/", "text/plain", "x".repeat(17));
        assertEquals(413, ((Verdict.Deny) v).status());
        assertTrue(!EngineTest.post(w, "/", "text/plain", "x".repeat(16)).interrupts());
    }
}

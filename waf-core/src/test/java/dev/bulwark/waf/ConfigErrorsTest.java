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

class ConfigErrorsTest {

    private static WafConfigException load(String yaml) {
        return assertThrows(WafConfigException.class,
                () -> Waf.builder().serviceLoader(false).rules("bad.yaml", yaml).build());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad regex        | {id: 1, targets: [ARGS], operator: '@rx (unclosed'}                     | 1 | operator",
        "unknown operator | {id: 2, targets: [ARGS], operator: '@nosuch x'}                        | 2 | operator",
        "unknown transform| {id: 3, targets: [ARGS], transforms: [rot13], operator: '@rx a'}      | 3 | transforms",
        "unknown variable | {id: 4, targets: [NOPE], operator: '@rx a'}                            | 4 | targets",
        "unknown field    | {id: 5, targets: [ARGS], operator: '@rx a', severty: CRITICAL}         | 5 | severty",
        "missing targets  | {id: 6, operator: '@rx a'}                                              | 6 | targets",
        "bad action       | {id: 7, targets: [ARGS], operator: '@rx a', action: explode}           | 7 |",
        "bad id           | {id: -3, targets: [ARGS], operator: '@rx a'}                            | -3 | id",
        "missing marker   | {id: 8, targets: [ARGS], operator: '@rx a', skipAfter: NOWHERE}        | 8 | skipAfter",
        "chain field      | {id: 9, targets: [ARGS], operator: '@rx a', chain: {targets: [ARGS], operator: '@nosuch'}} | 9 | operator",
    })
    void preciseErrors(String name, String rule, String id, String field) {
        WafConfigException e = load("rules:\n  - " + rule + "\n");
        assertEquals("bad.yaml", e.source(), e.getMessage());
        assertEquals(id, e.ruleId(), e.getMessage());
        if (field != null) {
            assertTrue(e.field() != null && e.field().endsWith(field), e.getMessage());
        }
    }

    @Test
    void duplicateIdFailsWholeLoad() {
        WafConfigException e = load("""
                rules:
                  - {id: 1, targets: [ARGS], operator: "@rx a"}
                  - {id: 1, targets: [ARGS], operator: "@rx b"}
                """);
        assertEquals("1", e.ruleId());
        assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
    }

    @Test
    void invalidYaml() {
        WafConfigException e = load("rules: [ {id: 1, ");
        assertTrue(e.getMessage().startsWith("bad.yaml"), e.getMessage());
    }

    @Test
    void configFileSettingsAndErrors(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("r.yaml"), "rules:\n  - {id: 1, phase: 1, targets: [ARGS], operator: '@contains x', action: deny}\n");
        Files.writeString(dir.resolve("bulwark.yaml"), """
                mode: DetectionOnly
                paranoiaLevel: 2
                limits: {maxRequestBodyBytes: 2048, maxInspectedBodyBytes: 1024, onBodyLimit: inspect-partial}
                rules: {bundled: false, files: [r.yaml]}
                """);
        Waf w = Waf.fromConfig(dir.resolve("bulwark.yaml"));
        assertEquals(Mode.DETECTION_ONLY, w.mode());
        assertEquals(2, w.paranoiaLevel());
        assertEquals(1024, w.limits().maxInspectedBodyBytes());
        assertEquals(1, w.rules().size());

        Files.writeString(dir.resolve("typo.yaml"), "mdoe: On\n");
        WafConfigException e = assertThrows(WafConfigException.class, () -> Waf.fromConfig(dir.resolve("typo.yaml")));
        assertEquals("mdoe", e.field());
        Files.writeString(dir.resolve("missing.yaml"), "rules: {bundled: false, files: [nope.yaml]}\n");
        assertThrows(WafConfigException.class, () -> Waf.fromConfig(dir.resolve("missing.yaml")));
        assertThrows(WafConfigException.class, () -> Waf.fromConfig(dir.resolve("absent.yaml")));
    }

    @Test
    void builderSettingsWinOverTheFileAndYamlBooleansAreModes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("c.yaml"), "mode: Off\nparanoiaLevel: 3\nallowEmptyRuleSet: true\nrules: {bundled: false}\n");
        Waf fileOnly = Waf.builder().serviceLoader(false).config(dir.resolve("c.yaml")).build();
        assertEquals(Mode.OFF, fileOnly.mode());
        assertEquals(3, fileOnly.paranoiaLevel());
        Waf overridden = Waf.builder().serviceLoader(false).config(dir.resolve("c.yaml")).paranoiaLevel(2).mode(Mode.ON).build();
        assertEquals(Mode.ON, overridden.mode());
        assertEquals(2, overridden.paranoiaLevel());
        Files.writeString(dir.resolve("on.yaml"), "mode: On\nallowEmptyRuleSet: true\nrules: {bundled: false}\n");
        assertEquals(Mode.ON, Waf.fromConfig(dir.resolve("on.yaml")).mode());
    }

    @Test
    void bundledRulesMissingGivesClearError() {
        WafConfigException e = assertThrows(WafConfigException.class, () -> Waf.builder().serviceLoader(false).bundledRules().build());
        assertTrue(e.getMessage().contains("waf-rules"), e.getMessage());
    }

    @Test
    void maxDecompressionRatioIsALimit(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("r.yaml"), "rules:\n  - {id: 1, phase: 1, targets: [ARGS], operator: '@contains x', action: deny}\n");
        Files.writeString(dir.resolve("ratio.yaml"), "limits: {maxDecompressionRatio: 20}\nrules: {bundled: false, files: [r.yaml]}\n");
        assertEquals(20, Waf.fromConfig(dir.resolve("ratio.yaml")).limits().maxDecompressionRatio());
        Files.writeString(dir.resolve("default.yaml"), "limits: {maxArgs: 10}\nrules: {bundled: false, files: [r.yaml]}\n");
        assertEquals(100, Waf.fromConfig(dir.resolve("default.yaml")).limits().maxDecompressionRatio());
        Files.writeString(dir.resolve("zero.yaml"), "limits: {maxDecompressionRatio: 0}\nrules: {bundled: false, files: [r.yaml]}\n");
        WafConfigException e = assertThrows(WafConfigException.class, () -> Waf.fromConfig(dir.resolve("zero.yaml")));
        assertTrue(e.getMessage().contains("maxDecompressionRatio"), e.getMessage());
    }
}

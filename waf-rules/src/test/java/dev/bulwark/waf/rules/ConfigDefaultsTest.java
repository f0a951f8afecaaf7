package dev.bulwark.waf.rules;

import dev.bulwark.waf.Waf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A configuration file protects with the bundled rules unless it opts out in so many words. */
class ConfigDefaultsTest {

    @Test
    void configWithoutRulesSectionRunsTheBundledRules(@TempDir Path dir) throws IOException {
        int bundled = Waf.builder().bundledRules().build().rules().size();
        assertTrue(bundled > 100, "bundled set: " + bundled);
        Files.writeString(dir.resolve("bulwark.yaml"), "mode: On\nparanoiaLevel: 1\n");
        assertEquals(bundled, Waf.fromConfig(dir.resolve("bulwark.yaml")).rules().size());

        Files.writeString(dir.resolve("own.yaml"), "rules:\n  - {id: 900001, targets: [ARGS], operator: '@contains x'}\n");
        Files.writeString(dir.resolve("with-files.yaml"), "rules: {files: [own.yaml]}\n");
        assertEquals(bundled + 1, Waf.fromConfig(dir.resolve("with-files.yaml")).rules().size());

        Files.writeString(dir.resolve("opt-out.yaml"), "rules: {bundled: false, files: [own.yaml]}\n");
        assertEquals(1, Waf.fromConfig(dir.resolve("opt-out.yaml")).rules().size());
    }
}

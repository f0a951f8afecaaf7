package dev.bulwark.waf;

import dev.bulwark.waf.config.ConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code strict:} configuration section and {@link StrictParsing} validation. */
class StrictConfigTest {

    private static ConfigFile parse(String yaml) {
        return ConfigFile.parse("c.yaml", null, yaml);
    }

    @Test
    void sectionSetsEveryKeyAndKeepsDefaultsForTheRest() {
        StrictParsing s = parse("""
                strict:
                  enabled: true
                  allowedCharsets: [UTF-8, windows-1252]
                  pathParameters: allow
                  allowedPathParameters: [sid]
                """).strict();
        assertEquals(new StrictParsing(true, List.of("utf-8", "windows-1252"), StrictParsing.PathParameters.ALLOW,
                List.of("sid")), s);
        StrictParsing partial = parse("strict: {enabled: false}").strict();
        assertEquals(StrictParsing.defaults().withEnabled(false), partial);
        assertNull(parse("mode: On").strict());
        assertEquals(StrictParsing.defaults(), parse("strict: {}").strict());
        assertEquals(List.of("utf-8"), parse("strict: {allowedCharsets: utf-8}").strict().allowedCharsets());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key                   | strict: {enabeld: true}                            | strict.enabeld       | unknown setting
            not a mapping                 | strict: [1]                                        | strict               | must be a mapping
            enabled not boolean           | strict: {enabled: yes please}                      | strict.enabled       | true or false
            bad pathParameters            | strict: {pathParameters: strip}                    | strict.pathParameters| reject or allow
            unknown charset               | strict: {allowedCharsets: [utf-8, klingon-1]}      | strict               | 'klingon-1' is not a charset Java knows
            illegal charset name          | strict: {allowedCharsets: ['utf 8']}               | strict               | cannot appear in a request
            empty charset                 | strict: {allowedCharsets: ['']}                    | strict               | empty entry
            charset list of numbers       | strict: {allowedCharsets: [1]}                     | strict.allowedCharsets| entries must be strings
            charsets a mapping            | strict: {allowedCharsets: {a: b}}                  | strict.allowedCharsets| list of strings
            parameter with semicolon      | strict: {allowedPathParameters: ['a;b']}           | strict               | cannot appear in a request
            """)
    void preciseErrors(String name, String yaml, String field, String message) {
        WafConfigException e = assertThrows(WafConfigException.class, () -> parse(yaml));
        assertEquals(field.trim(), e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(message.trim()), e.getMessage());
    }

    @Test
    void fileSettingsApplyAndTheBuilderWins(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("r.yaml"), "rules:\n  - {id: 1, phase: 1, targets: [ARGS], operator: '@contains x', action: deny}\n");
        Files.writeString(dir.resolve("bulwark.yaml"), "rules: {bundled: false, files: [r.yaml]}\nstrict: {pathParameters: allow}\n");
        Waf w = Waf.fromConfig(dir.resolve("bulwark.yaml"));
        assertEquals(StrictParsing.PathParameters.ALLOW, w.strictParsing().pathParameters());
        assertTrue(w.strictParsing().enabled());
        Waf b = Waf.builder().serviceLoader(false).config(dir.resolve("bulwark.yaml"))
                .strictParsing(StrictParsing.disabled()).build();
        assertFalse(b.strictParsing().enabled());
    }

    @Test
    void recordValidatesEagerly() {
        assertThrows(IllegalArgumentException.class, () -> StrictParsing.defaults().withAllowedCharsets(List.of("nope-charset")));
        assertThrows(IllegalArgumentException.class, () -> StrictParsing.defaults().withPathParameters(null));
        assertThrows(IllegalArgumentException.class, () -> StrictParsing.defaults().withAllowedPathParameters(List.of("a b")));
        // Case folding is ASCII only: the Kelvin sign does not pass for 'k'.
        StrictParsing s = StrictParsing.defaults().withAllowedPathParameters(List.of("k"));
        assertTrue(s.pathParameterAllowed("K"));
        assertFalse(s.pathParameterAllowed("\u212A"));
    }
}

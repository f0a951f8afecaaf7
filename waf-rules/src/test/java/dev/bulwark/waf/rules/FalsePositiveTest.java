package dev.bulwark.waf.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.waf.Waf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Benign traffic at paranoia level 1: realistic search queries, prose with apostrophes, JSON API
 * calls, e-mail addresses, URLs, markdown and code in comments
 * (every {@code benign/*.yaml} file). None may be blocked.
 */
class FalsePositiveTest {

    private static final Waf WAF = Waf.builder().bundledRules().paranoiaLevel(1).build();

    static Stream<Arguments> requests() {
        List<Arguments> out = new ArrayList<>();
        for (String file : benignFiles()) {
            int i = 0;
            for (JsonNode r : TestData.yaml("benign/" + file).get("requests")) {
                out.add(Arguments.of(file + "#" + ++i, RequestSpec.from(r)));
            }
        }
        return out.stream();
    }

    private static List<String> benignFiles() {
        try (Stream<Path> files = Files.list(Path.of(FalsePositiveTest.class.getClassLoader().getResource("benign").toURI()))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the benign corpus", e);
        }
    }

    @ParameterizedTest(name = "#{0}: {1}")
    @MethodSource("requests")
    void benignRequestPassesAtParanoiaLevelOne(String index, RequestSpec request) {
        RequestSpec.Result r = request.run(WAF);
        assertFalse(r.verdict().interrupts(), () -> "blocked: " + request + r.describe());
    }
}

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
 * (every {@code benign/*.yaml} file). None may be blocked. Files with {@code paranoia: 2} at the
 * top (real browser and client headers, raw bodies, multilingual text) must pass at level 2 too.
 */
class FalsePositiveTest {

    private static final Waf WAF = Waf.builder().bundledRules().paranoiaLevel(1).build();
    private static final Waf WAF_PL2 = Waf.builder().bundledRules().paranoiaLevel(2).build();

    static Stream<Arguments> requests() {
        return requests(1);
    }

    static Stream<Arguments> paranoidRequests() {
        return requests(2);
    }

    private static Stream<Arguments> requests(int level) {
        List<Arguments> out = new ArrayList<>();
        for (String file : benignFiles()) {
            JsonNode data = TestData.yaml("benign/" + file);
            if (data.path("paranoia").asInt(1) < level) {
                continue;
            }
            int i = 0;
            for (JsonNode r : data.get("requests")) {
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

    @ParameterizedTest(name = "#{0}: {1}")
    @MethodSource("paranoidRequests")
    void benignRequestPassesAtParanoiaLevelTwo(String index, RequestSpec request) {
        RequestSpec.Result r = request.run(WAF_PL2);
        assertFalse(r.verdict().interrupts(), () -> "blocked at PL2: " + request + r.describe());
    }
}

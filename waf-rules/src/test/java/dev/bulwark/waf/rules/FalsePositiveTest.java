package dev.bulwark.waf.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.waf.Waf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Benign traffic at paranoia level 1: realistic search queries, prose with apostrophes, JSON API
 * calls, e-mail addresses, URLs, markdown and code in comments
 * ({@code benign/benign-requests.yaml}). None may be blocked.
 */
class FalsePositiveTest {

    private static final Waf WAF = Waf.builder().bundledRules().paranoiaLevel(1).build();

    static Stream<Arguments> requests() {
        List<Arguments> out = new ArrayList<>();
        int i = 0;
        for (JsonNode r : TestData.yaml("benign/benign-requests.yaml").get("requests")) {
            out.add(Arguments.of(++i, RequestSpec.from(r)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "#{0}: {1}")
    @MethodSource("requests")
    void benignRequestPassesAtParanoiaLevelOne(int index, RequestSpec request) {
        RequestSpec.Result r = request.run(WAF);
        assertFalse(r.verdict().interrupts(), () -> "blocked: " + request + r.describe());
    }
}

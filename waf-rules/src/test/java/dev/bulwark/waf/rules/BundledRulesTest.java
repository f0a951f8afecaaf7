package dev.bulwark.waf.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.waf.Mode;
import dev.bulwark.waf.Waf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every positive ({@code match}) and negative ({@code nomatch}) request of
 * {@code rules-tests/<file>.tests.yaml} through the bundled rule set at paranoia level 4 in
 * detection-only mode (so every phase runs) and checks whether the rule under test matched.
 */
class BundledRulesTest {

    private static final Waf WAF = Waf.builder().bundledRules().paranoiaLevel(4)
            .mode(Mode.DETECTION_ONLY).build();

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String file : TestData.ruleFiles()) {
            JsonNode tests = TestData.testsFor(file);
            if (tests == null) {
                continue;
            }
            for (JsonNode t : tests.get("tests")) {
                long rule = t.get("rule").asLong();
                addAll(out, rule, true, t.get("match"));
                addAll(out, rule, false, t.get("nomatch"));
            }
        }
        return out.stream();
    }

    private static void addAll(List<Arguments> out, long rule, boolean expect, JsonNode list) {
        if (list == null) {
            return;
        }
        int i = 0;
        for (JsonNode req : list) {
            out.add(Arguments.of(rule, expect, ++i, RequestSpec.from(req)));
        }
    }

    @ParameterizedTest(name = "{0} {1} #{2}: {3}")
    @MethodSource("cases")
    void ruleMatchesAsExpected(long rule, boolean expect, int index, RequestSpec request) {
        RequestSpec.Result r = request.run(WAF);
        if (expect) {
            assertTrue(r.hasRule(rule), () -> "rule " + rule + " should match " + request + r.describe());
        } else {
            assertFalse(r.hasRule(rule), () -> "rule " + rule + " should not match " + request + r.describe());
        }
    }
}

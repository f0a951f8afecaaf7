package dev.bulwark.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.waf.Transaction;
import dev.bulwark.waf.Verdict;
import dev.bulwark.waf.Waf;
import dev.bulwark.waf.spi.MatchContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CustomRuleExtensionTest {

    static Stream<Arguments> vectors() throws IOException {
        try (InputStream in = CustomRuleExtensionTest.class.getResourceAsStream("/luhn-vectors.json")) {
            List<Arguments> out = new ArrayList<>();
            for (JsonNode v : new ObjectMapper().readTree(in)) {
                out.add(Arguments.of(v.get("input").asText(), v.get("match").asBoolean(), v.get("why").asText()));
            }
            return out.stream();
        }
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("vectors")
    void luhnOperator(String input, boolean match, String why) {
        assertEquals(match, new CustomRuleExtension.LuhnOperator().matches(input, MatchContext.empty()), why);
    }

    @Test
    void luhnOperatorIsLinear() {
        String hostile = "1 ".repeat(500_000) + "4".repeat(1_000_000);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(2),
                () -> new CustomRuleExtension.LuhnOperator().matches(hostile, MatchContext.empty()));
    }

    @Test
    void loadsThroughTheServiceLoaderAndAddsItsRule() {
        Waf waf = Waf.builder().build();
        assertTrue(waf.rules().stream().anyMatch(r -> r.id() == CustomRuleExtension.CARD_LEAK_RULE_ID),
                "rule added by the extension found via META-INF/services");
    }

    @Test
    void javaRuleBlocksACardNumberLeakingInTheResponse() {
        Waf waf = Waf.builder().build();
        assertInstanceOf(Verdict.Deny.class, respond(waf, "Card on file: 4111 1111 1111 1111"));
        assertFalse(respond(waf, "Order 4111 1111 1111 1112 shipped").interrupts());
    }

    @Test
    void rulesFromYamlCanUseTheOperator() {
        String yaml = "rules:\n  - id: 10002\n    phase: 2\n    targets: [\"ARGS:comment\"]\n"
                + "    operator: \"@luhnCheck\"\n    action: deny\n";
        Waf waf = Waf.builder().rules("inline", yaml).build();
        try (Transaction tx = waf.newTransaction()) {
            tx.requestLine("GET", "/?comment=pay%20with%205500005555555559", "HTTP/1.1");
            tx.requestHeader("Host", "example.com");
            tx.processRequestHeaders();
            Verdict v = tx.processRequestBody();
            assertInstanceOf(Verdict.Deny.class, v);
            assertEquals(10002, ((Verdict.Deny) v).ruleId());
        }
    }

    @Test
    void withoutTheServiceLoaderTheExtensionIsAbsent() {
        Waf waf = Waf.builder().serviceLoader(false).allowEmptyRuleSet(true).build();
        assertTrue(waf.rules().stream().noneMatch(r -> r.id() == CustomRuleExtension.CARD_LEAK_RULE_ID));
    }

    private static Verdict respond(Waf waf, String body) {
        try (Transaction tx = waf.newTransaction()) {
            tx.requestLine("GET", "/account", "HTTP/1.1");
            tx.requestHeader("Host", "example.com");
            tx.processRequestHeaders();
            tx.processRequestBody();
            tx.processResponseHeaders(200, List.of(Map.entry("Content-Type", "text/plain")));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            tx.responseBody(b, 0, b.length);
            return tx.processResponseBody();
        }
    }
}

package dev.bulwark.waf.servlet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class FormParserTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "abc|abc",
            "a+b|a b",
            "%41%42|AB",
            "J%C3%BCrgen|Jürgen",
            "%zz|%zz",
            "%4|%4",
            "100%|100%",
            "%E0%80|\uFFFD\uFFFD",
            "%C3|\uFFFD",
            "a%2Bb|a+b",
    })
    void decodesLeniently(String in, String expected) {
        assertEquals(expected, FormParser.decode(in, 0, in.length(), StandardCharsets.UTF_8));
    }

    @Test
    void parsesPairsInOrderWithRepeats() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        FormParser.parse("a=1&b=&a=2&&c&=x", StandardCharsets.UTF_8, m, 100);
        assertEquals(List.of("1", "2"), m.get("a"));
        assertEquals(List.of(""), m.get("b"));
        assertEquals(List.of(""), m.get("c"));
        assertEquals(List.of("x"), m.get(""));
        assertEquals(List.of("a", "b", "c", ""), List.copyOf(m.keySet()));
    }

    @Test
    void stopsAtThePairLimit() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        FormParser.parse("a=1&b=2&c=3", StandardCharsets.UTF_8, m, 2);
        assertEquals(2, m.size());
    }

    @Test
    void manyPairsWithoutEqualsStayLinear() {
        String hostile = "a&".repeat(200_000) + "=";
        Map<String, List<String>> m = new LinkedHashMap<>();
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(2),
                () -> FormParser.parse(hostile, StandardCharsets.UTF_8, m, Integer.MAX_VALUE));
        assertEquals(200_000, m.get("a").size());
    }
}

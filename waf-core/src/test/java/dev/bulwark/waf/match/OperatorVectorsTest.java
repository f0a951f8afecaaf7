package dev.bulwark.waf.match;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.waf.spi.MatchContext;
import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.OperatorFactory;
import dev.bulwark.waf.spi.OperatorSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every vector in {@code src/test/resources/match/*.json}. A vector names the operator,
 * its argument and either an input with the expected outcome (plus optional captures, macro
 * values and data files) or an {@code error}: a text the {@link IllegalArgumentException}
 * message of the factory must contain.
 */
class OperatorVectorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> vectors() throws IOException, URISyntaxException {
        List<Arguments> out = new ArrayList<>();
        for (Path file : vectorFiles()) {
            JsonNode root;
            try (InputStream in = Files.newInputStream(file)) {
                root = JSON.readTree(in);
            }
            int index = 0;
            for (JsonNode v : root) {
                String label = file.getFileName() + "#" + index++ + " @" + v.path("operator").asText()
                        + " " + v.path("argument").asText() + (v.has("name")
                        ? " (" + v.get("name").asText() + ")" : "");
                out.add(Arguments.of(label, v));
            }
        }
        return out.stream();
    }

    private static List<Path> vectorFiles() throws IOException, URISyntaxException {
        URL dir = OperatorVectorsTest.class.getResource("/match");
        assertNotNull(dir, "test resources /match are missing");
        try (Stream<Path> files = Files.list(Paths.get(dir.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vector(String label, JsonNode v) {
        OperatorFactory factory = Operators.builtins().get(v.get("operator").asText());
        assertNotNull(factory, "unknown operator in " + label);
        String argument = v.path("argument").asText("");
        OperatorSupport support = supportFor(v.get("files"));

        if (v.has("error")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> factory.create(argument, support));
            assertTrue(e.getMessage().contains(v.get("error").asText()),
                    "message '" + e.getMessage() + "' should contain '" + v.get("error").asText() + "'");
            return;
        }

        Operator op = factory.create(argument, support);
        RecordingContext ctx = new RecordingContext(v.get("macros"), v.has("captures"));
        boolean expected = v.get("expected").asBoolean();
        String input = v.get("input").asText();
        assertEquals(expected, op.matches(input, ctx), label);
        // Same answer on a second call: operators keep no per-call state.
        assertEquals(expected, op.matches(input, new RecordingContext(v.get("macros"), false)));

        if (v.has("captures")) {
            Map<Integer, String> want = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : v.get("captures").properties()) {
                want.put(Integer.parseInt(e.getKey()), e.getValue().asText());
            }
            assertEquals(want, ctx.captures, "captures of " + label);
        }
    }

    /** Guards against an operator silently losing its vectors. */
    @Test
    void everyBuiltinHasPositiveAndNegativeVectors() throws Exception {
        Set<String> positive = new HashSet<>();
        Set<String> negative = new HashSet<>();
        for (Arguments a : vectors().toList()) {
            JsonNode v = (JsonNode) a.get()[1];
            if (v.has("expected")) {
                (v.get("expected").asBoolean() ? positive : negative).add(v.get("operator").asText());
            }
        }
        for (String name : Operators.builtins().keySet()) {
            if (name.equals("unconditionalMatch")) {
                assertTrue(positive.contains(name), name);
            } else if (name.equals("noMatch")) {
                assertTrue(negative.contains(name), name);
            } else {
                assertTrue(positive.contains(name), "no matching vector for " + name);
                assertTrue(negative.contains(name) || name.equals("ipMatchF"),
                        "no non-matching vector for " + name);
            }
        }
        assertTrue(vectors().count() >= 120);
    }

    @Test
    void builtinsAreImmutableAndLeaveOutLibinjection() {
        Map<String, OperatorFactory> b = Operators.builtins();
        assertFalse(b.containsKey("detectSQLi"));
        assertFalse(b.containsKey("detectXSS"));
        assertThrows(UnsupportedOperationException.class, () -> b.put("x", (a, s) -> null));
    }

    private static OperatorSupport supportFor(JsonNode files) {
        if (files == null) {
            return OperatorSupport.none();
        }
        return name -> {
            JsonNode lines = files.get(name);
            if (lines == null) {
                throw new IOException("no such file: " + name);
            }
            List<String> out = new ArrayList<>();
            lines.forEach(l -> {
                String t = l.asText().trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            });
            return out;
        };
    }

    /** Expands {@code %{name}} from a map (unknown names expand to "") and records captures. */
    static final class RecordingContext implements MatchContext {
        final Map<Integer, String> captures = new TreeMap<>();
        private final JsonNode macros;
        private final boolean capture;

        RecordingContext(JsonNode macros, boolean capture) {
            this.macros = macros;
            this.capture = capture;
        }

        @Override
        public String expand(String text) {
            StringBuilder sb = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                int start = text.indexOf("%{", i);
                int end = start < 0 ? -1 : text.indexOf('}', start);
                if (end < 0) {
                    sb.append(text, i, text.length());
                    break;
                }
                sb.append(text, i, start);
                String name = text.substring(start + 2, end);
                if (macros != null && macros.has(name)) {
                    sb.append(macros.get(name).asText());
                }
                i = end + 1;
            }
            return sb.toString();
        }

        @Override
        public boolean captureEnabled() {
            return capture;
        }

        @Override
        public void capture(int index, String value) {
            assertTrue(capture, "capture called although capturing is off");
            captures.put(index, value);
        }
    }
}

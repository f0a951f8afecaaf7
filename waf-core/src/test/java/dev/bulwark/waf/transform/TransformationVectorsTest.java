package dev.bulwark.waf.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.waf.spi.Transformation;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-driven vectors from {@code src/test/resources/transform/vectors-*.json}: each entry has
 * {@code name} (a transformation, or a comma-separated chain applied left to right),
 * {@code input}, {@code expected} and an optional {@code note}.
 */
class TransformationVectorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> vectorFiles() throws IOException, URISyntaxException {
        URL dir = TransformationVectorsTest.class.getResource("/transform");
        assertNotNull(dir, "test resources /transform missing");
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.filter(p -> {
                String f = p.getFileName().toString();
                return f.startsWith("vectors-") && f.endsWith(".json");
            }).sorted().toList();
        }
    }

    static Stream<Arguments> vectors() throws IOException, URISyntaxException {
        List<Arguments> out = new ArrayList<>();
        for (Path file : vectorFiles()) {
            try (InputStream in = Files.newInputStream(file)) {
                int k = 0;
                for (JsonNode v : JSON.readTree(in)) {
                    String label = file.getFileName() + "#" + (k++) + " " + v.get("name").asText()
                            + (v.has("note") ? " (" + v.get("note").asText() + ")" : "");
                    out.add(Arguments.of(label, v.get("name").asText(), v.get("input").asText(),
                            v.get("expected").asText()));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vector(String label, String chain, String input, String expected) {
        String value = input;
        int start = 0;
        // a tiny comma split without regex, mirroring the engine's chain order
        for (int i = 0; i <= chain.length(); i++) {
            if (i == chain.length() || chain.charAt(i) == ',') {
                String name = chain.substring(start, i);
                Transformation t = Transformations.builtins().get(name);
                assertNotNull(t, "unknown transformation " + name);
                value = t.apply(value);
                start = i + 1;
            }
        }
        assertEquals(escape(expected), escape(value), label);
    }

    /** Shows control and non-ASCII chars as escapes so failures are readable. */
    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    @Test
    void everyBuiltinHasVectors() throws Exception {
        List<String> names = new ArrayList<>();
        vectors().forEach(a -> names.add((String) a.get()[1]));
        for (String builtin : Transformations.builtins().keySet()) {
            assertTrue(names.stream().anyMatch(n -> (',' + n + ',').contains(',' + builtin + ',')),
                    "no vector for " + builtin);
        }
        assertTrue(names.size() >= 150, "expected 150+ vectors, got " + names.size());
    }
}

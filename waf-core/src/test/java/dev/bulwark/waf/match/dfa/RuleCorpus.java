package dev.bulwark.waf.match.dfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test helper: the {@code @rx} patterns of Bulwark's bundled YAML rules, read in place (the CRS
 * corpus is read by {@link dev.bulwark.waf.testing.CrsCorpus}).
 */
final class RuleCorpus {

    private RuleCorpus() {
    }

    /** {@code @rx} operators of the bundled YAML rules (module waf-rules), or empty when absent. */
    static List<String> bundledPatterns() throws IOException {
        Path dir = Path.of("..", "waf-rules", "src", "main", "resources", "bulwark", "rules");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (f.toString().endsWith(".yaml")) {
                    collectOperators(yaml.readTree(f.toFile()), out);
                }
            }
        }
        return out;
    }

    private static void collectOperators(JsonNode n, List<String> out) {
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                if (e.getKey().equals("operator") && e.getValue().isTextual()) {
                    String op = e.getValue().asText();
                    op = op.startsWith("!") ? op.substring(1) : op;
                    if (op.startsWith("@rx ") && !op.contains("%{")) {
                        out.add(op.substring(4));
                    }
                } else {
                    collectOperators(e.getValue(), out);
                }
            }
        } else if (n.isArray()) {
            for (JsonNode c : n) {
                collectOperators(c, out);
            }
        }
    }
}

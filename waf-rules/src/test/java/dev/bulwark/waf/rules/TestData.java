package dev.bulwark.waf.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the bundled rule files and their test data from the class path. */
final class TestData {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TestData() {
    }

    /** The rule file names listed in the bundled index, in order. */
    static List<String> ruleFiles() {
        String index = resource(BundledRules.INDEX);
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start <= index.length()) {
            int nl = index.indexOf('\n', start);
            String line = (nl < 0 ? index.substring(start) : index.substring(start, nl)).trim();
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(line);
            }
            if (nl < 0) {
                break;
            }
            start = nl + 1;
        }
        return out;
    }

    static JsonNode ruleFile(String name) {
        return yaml(BundledRules.BASE + name);
    }

    /** The test data for a rule file, or null when there is none. */
    static JsonNode testsFor(String ruleFile) {
        String base = ruleFile.endsWith(".yaml") ? ruleFile.substring(0, ruleFile.length() - 5) : ruleFile;
        String name = "rules-tests/" + base + ".tests.yaml";
        return exists(name) ? yaml(name) : null;
    }

    static JsonNode yaml(String name) {
        try {
            return YAML.readTree(resource(name));
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
    }

    static boolean exists(String name) {
        return TestData.class.getClassLoader().getResource(name) != null;
    }

    static String resource(String name) {
        try (InputStream in = TestData.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
    }
}

package dev.bulwark.waf.match.dfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Test helper: the {@code @rx} patterns of the CRS rule files ({@code crs.dir} system property)
 * and of Bulwark's bundled YAML rules, and the CRS regression-test payloads, read in place.
 */
final class RuleCorpus {

    private RuleCorpus() {
    }

    /** The CRS checkout, or null when {@code crs.dir} is unset or has no {@code rules/}. */
    static Path crsDir() {
        String d = System.getProperty("crs.dir");
        if (d == null) {
            return null;
        }
        Path p = Path.of(d);
        return Files.isDirectory(p.resolve("rules")) ? p : null;
    }

    /** Every {@code @rx} argument of {@code rules/*.conf} in file order, duplicates kept (318 in v4). */
    static List<String> crsPatterns(Path crs) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(crs.resolve("rules"))) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (!f.getFileName().toString().endsWith(".conf")) {
                    continue;
                }
                StringBuilder directive = new StringBuilder();
                for (String line : Files.readString(f, StandardCharsets.UTF_8).split("\r?\n", -1)) {
                    if (directive.length() == 0 && line.trim().startsWith("#")) {
                        continue;
                    }
                    if (line.endsWith("\\")) {
                        directive.append(line, 0, line.length() - 1);
                        continue;
                    }
                    directive.append(line);
                    String rx = rxOfSecRule(directive.toString().trim());
                    if (rx != null) {
                        out.add(rx);
                    }
                    directive.setLength(0);
                }
            }
        }
        return out;
    }

    /** {@code SecRule TARGETS "[!]@rx PATTERN" ...}: PATTERN with {@code \"} unescaped, else null. */
    private static String rxOfSecRule(String d) {
        if (!d.startsWith("SecRule")) {
            return null;
        }
        int i = skipBlank(d, "SecRule".length());
        if (i < d.length() && d.charAt(i) == '"') {
            i = d.indexOf('"', i + 1) + 1;
        } else {
            while (i < d.length() && !Character.isWhitespace(d.charAt(i))) {
                i++;
            }
        }
        i = skipBlank(d, i);
        if (i <= 0 || i >= d.length() || d.charAt(i) != '"') {
            return null;
        }
        StringBuilder op = new StringBuilder();
        for (i++; i < d.length() && d.charAt(i) != '"'; i++) {
            if (d.charAt(i) == '\\' && i + 1 < d.length() && d.charAt(i + 1) == '"') {
                i++;
            }
            op.append(d.charAt(i));
        }
        String s = op.charAt(0) == '!' ? op.substring(1) : op.toString();
        return s.startsWith("@rx ") ? s.substring(4) : null;
    }

    private static int skipBlank(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
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

    /** Strings of the CRS regression tests: {@code data}, {@code uri} and header values, each raw and URL-decoded. */
    static List<String> crsPayloads(Path crs) throws IOException {
        Set<String> raw = new LinkedHashSet<>();
        Path root = crs.resolve("tests");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (f.toString().endsWith(".yaml")) {
                    try {
                        collectPayloads(yaml.readTree(f.toFile()), raw);
                    } catch (IOException e) {
                        // A test file Jackson cannot read only means fewer inputs.
                    }
                }
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String s : raw) {
            out.add(s);
            out.add(percentDecode(s));
        }
        return new ArrayList<>(out);
    }

    private static void collectPayloads(JsonNode n, Set<String> out) {
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String k = e.getKey();
                JsonNode v = e.getValue();
                if ((k.equals("data") || k.equals("uri")) && v.isTextual()) {
                    out.add(v.asText());
                } else if (k.equals("headers") && v.isObject()) {
                    v.elements().forEachRemaining(h -> {
                        if (h.isTextual()) {
                            out.add(h.asText());
                        }
                    });
                } else {
                    collectPayloads(v, out);
                }
            }
        } else if (n.isArray()) {
            for (JsonNode c : n) {
                collectPayloads(c, out);
            }
        }
    }

    /** Lenient {@code %XX} and {@code +} decoding, bytes read as UTF-8. */
    static String percentDecode(String s) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
            int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
            if (in[i] == '%' && hi >= 0 && lo >= 0) {
                out[n++] = (byte) (hi * 16 + lo);
                i += 2;
            } else {
                out[n++] = in[i] == '+' ? (byte) ' ' : in[i];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}

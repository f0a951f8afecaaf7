package dev.bulwark.waf.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads {@code @rx} patterns and regression-test payloads from the OWASP CRS corpus in place
 * ({@code -Dcrs.dir}); shared by the tests that check matchers against it. Test helper.
 */
public final class CrsCorpus {

    private CrsCorpus() {
    }

    /** The CRS directory from the {@code crs.dir} system property, or null when absent. */
    public static Path dir() {
        String d = System.getProperty("crs.dir");
        if (d == null) {
            return null;
        }
        Path p = Path.of(d);
        return Files.isDirectory(p.resolve("rules")) ? p : null;
    }

    /** Every distinct {@code @rx} argument in {@code rules/*.conf}, in file order. */
    public static List<String> rxPatterns(Path crs) throws IOException {
        return rxPatterns(crs, true);
    }

    /** Every {@code @rx} argument in {@code rules/*.conf}, in file order; duplicates kept unless {@code distinct}. */
    public static List<String> rxPatterns(Path crs, boolean distinct) throws IOException {
        java.util.Collection<String> out = distinct ? new LinkedHashSet<>() : new ArrayList<>();
        try (Stream<Path> files = Files.list(crs.resolve("rules"))) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (f.getFileName().toString().endsWith(".conf")) {
                    for (String directive : directives(Files.readString(f, StandardCharsets.UTF_8))) {
                        String rx = rxArgument(directive);
                        if (rx != null) {
                            out.add(rx);
                        }
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Joins backslash-continued lines and drops comments. */
    public static List<String> directives(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (cur.length() == 0 && l.trim().startsWith("#")) {
                continue;
            }
            if (l.endsWith("\\")) {
                cur.append(l, 0, l.length() - 1);
                continue;
            }
            cur.append(l);
            if (!cur.toString().trim().isEmpty()) {
                out.add(cur.toString().trim());
            }
            cur.setLength(0);
        }
        return out;
    }

    /** For {@code SecRule TARGETS "@rx PATTERN" ...} returns PATTERN, else null. */
    public static String rxArgument(String directive) {
        if (!directive.startsWith("SecRule")) {
            return null;
        }
        int i = "SecRule".length();
        i = skipSpace(directive, i);
        i = skipToken(directive, i); // targets
        i = skipSpace(directive, i);
        if (i >= directive.length() || directive.charAt(i) != '"') {
            return null;
        }
        StringBuilder op = new StringBuilder();
        for (i++; i < directive.length(); i++) {
            char c = directive.charAt(i);
            if (c == '\\' && i + 1 < directive.length() && directive.charAt(i + 1) == '"') {
                op.append('"');
                i++;
            } else if (c == '"') {
                break;
            } else {
                op.append(c);
            }
        }
        String s = op.toString();
        if (s.startsWith("!")) {
            s = s.substring(1);
        }
        return s.startsWith("@rx ") ? s.substring(4) : null;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipToken(String s, int i) {
        if (i < s.length() && s.charAt(i) == '"') {
            for (i++; i < s.length(); i++) {
                if (s.charAt(i) == '\\') {
                    i++;
                } else if (s.charAt(i) == '"') {
                    return i + 1;
                }
            }
            return i;
        }
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * The {@code data} and {@code uri} values of all regression test stages, each raw, URL-decoded,
     * and URL-decoded plus lower-cased. Files Jackson cannot read are counted in {@code failures[0]}.
     */
    public static List<String> payloads(Path crs, int[] failures) throws IOException {
        return payloads(crs, false, failures);
    }

    /** As {@link #payloads(Path, int[])}, with the test stages' header values too when {@code headers}. */
    public static List<String> payloads(Path crs, boolean headers, int[] failures) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Path root = crs.resolve("tests/regression/tests");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (!f.toString().endsWith(".yaml")) {
                    continue;
                }
                JsonNode tree;
                try {
                    tree = yaml.readTree(f.toFile());
                } catch (IOException e) {
                    failures[0]++;
                    continue;
                }
                collect(tree, out, headers);
            }
        }
        List<String> all = new ArrayList<>();
        for (String s : out) {
            all.add(s);
            String d = urlDecode(s);
            all.add(d);
            all.add(d.toLowerCase(Locale.ROOT));
        }
        return new ArrayList<>(new LinkedHashSet<>(all));
    }

    private static void collect(JsonNode n, Set<String> out, boolean headers) {
        if (n == null) {
            return;
        }
        if (n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                JsonNode v = e.getValue();
                if ((k.equals("data") || k.equals("uri")) && v.isValueNode()) {
                    out.add(v.asText());
                } else if (k.equals("data") && v.isArray()) {
                    StringBuilder sb = new StringBuilder();
                    for (JsonNode line : v) {
                        sb.append(line.asText()).append("\r\n");
                    }
                    out.add(sb.toString());
                } else if (headers && k.equals("headers") && v.isObject()) {
                    v.elements().forEachRemaining(h -> {
                        if (h.isValueNode()) {
                            out.add(h.asText());
                        }
                    });
                } else {
                    collect(v, out, headers);
                }
            }
        } else if (n.isArray()) {
            for (JsonNode c : n) {
                collect(c, out, headers);
            }
        }
    }

    /** Lenient percent/plus decoding, bytes read as UTF-8 (malformed sequences replaced). */
    public static String urlDecode(String s) {
        byte[] buf = new byte[s.length() * 4];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                buf[n++] = (byte) (Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+') {
                buf[n++] = ' ';
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                System.arraycopy(b, 0, buf, n, b.length);
                n += b.length;
            }
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }
}

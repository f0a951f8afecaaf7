package dev.bulwark.waf.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Loads the data-driven test vectors under {@code src/test/resources/request/}. */
final class Vectors {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Vectors() {
    }

    /** One {@code Arguments.of(name, node)} per element of the JSON array resource. */
    static Stream<Arguments> load(String resource) {
        try (InputStream in = Vectors.class.getResourceAsStream("/request/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            JsonNode root = MAPPER.readTree(in);
            List<Arguments> out = new ArrayList<>();
            for (JsonNode n : root) {
                out.add(Arguments.of(n.get("name").asText(), n));
            }
            return out.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code [["name","value"], ...]} node as args. */
    static List<Arg> args(JsonNode node) {
        List<Arg> out = new ArrayList<>();
        if (node != null) {
            for (JsonNode pair : node) {
                out.add(new Arg(pair.get(0).asText(), pair.get(1).asText()));
            }
        }
        return out;
    }

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null) {
            for (JsonNode s : node) {
                out.add(s.asText());
            }
        }
        return out;
    }
}

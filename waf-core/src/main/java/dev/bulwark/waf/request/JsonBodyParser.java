package dev.bulwark.waf.request;

import dev.bulwark.waf.transform.Utf8Lenient;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;

/**
 * Flattens a JSON body into args with Jackson's streaming parser (no tree is built). Depth is
 * counted here against {@link BodyLimits#maxDepth()}; Jackson's own constraints (nesting, number
 * and string length) stay as a backstop and surface as limit errors.
 */
final class JsonBodyParser {

    /**
     * Shared and thread-safe once built. Field-name canonicalization is off so hostile bodies
     * cannot fill or hash-flood the factory-wide symbol table; source text is kept out of error
     * locations so error messages never echo body content.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private JsonBodyParser() {
    }

    static void parse(byte[] b, int offset, int length, ParsedBody.Builder out) {
        int maxDepth = out.limits.maxDepth();
        // Per open container: is it an array, path length of its own name, next index, had a child.
        boolean[] isArray = new boolean[maxDepth + 1];
        int[] prefix = new int[maxDepth + 1];
        int[] index = new int[maxDepth + 1];
        boolean[] hasChild = new boolean[maxDepth + 1];
        int depth = 0;
        boolean rootDone = false;
        String key = "";
        StringBuilder path = new StringBuilder("json");
        try (JsonParser p = open(b, offset, length, out)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    key = p.currentName();
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                    if (!hasChild[depth] && !out.arg(out.cut(path), "")) {
                        return;
                    }
                    path.setLength(depth == 0 ? 4 : prefix[depth - 1]);
                    if (depth == 0) {
                        rootDone = true;
                    }
                    continue;
                }
                if (depth == 0) {
                    if (rootDone) {
                        out.error("JSON: trailing data after the top-level value");
                        return;
                    }
                    path.setLength(4);
                } else {
                    int parent = depth - 1;
                    hasChild[parent] = true;
                    path.setLength(prefix[parent]);
                    path.append('.');
                    if (isArray[parent]) {
                        path.append(index[parent]++);
                    } else {
                        path.append(key);
                    }
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    if (depth >= maxDepth) {
                        out.limitExceeded = true;
                        out.error("JSON: nesting deeper than " + maxDepth);
                        return;
                    }
                    isArray[depth] = t == JsonToken.START_ARRAY;
                    prefix[depth] = path.length();
                    index[depth] = 0;
                    hasChild[depth] = false;
                    depth++;
                    continue;
                }
                String value;
                switch (t) {
                    case VALUE_NULL:
                        value = "";
                        break;
                    case VALUE_TRUE:
                        value = "true";
                        break;
                    case VALUE_FALSE:
                        value = "false";
                        break;
                    default:
                        value = p.getText();
                        break;
                }
                if (!out.arg(out.cut(path), value == null ? "" : value)) {
                    return;
                }
                if (depth == 0) {
                    rootDone = true;
                }
            }
            if (depth > 0) {
                out.error("JSON: unexpected end of input");
            }
        } catch (StreamConstraintsException e) {
            out.limitExceeded = true;
            out.error("JSON: " + shortMessage(e));
        } catch (JsonProcessingException e) {
            // Jackson quotes offending tokens in its messages: report only the position.
            JsonLocation at = e.getLocation();
            out.error(at == null ? "JSON: malformed"
                    : "JSON: malformed at line " + at.getLineNr() + ", column " + at.getColumnNr());
        } catch (IOException | RuntimeException e) {
            out.error("JSON: unreadable body");
        }
    }

    /**
     * UTF-8 bodies are decoded here rather than by Jackson, which would turn invalid bytes into
     * U+FFFD and so hide e.g. overlong encodings from rules; invalid UTF-8 still counts as an
     * error (as in ModSecurity). UTF-16/32 bodies (BOM or NUL in the first bytes) are left to
     * Jackson's encoding detection.
     */
    private static JsonParser open(byte[] b, int offset, int length, ParsedBody.Builder out) throws IOException {
        for (int i = offset; i < offset + Math.min(length, 4); i++) {
            if (b[i] == 0 || (b[i] & 0xFF) == 0xFE || (b[i] & 0xFF) == 0xFF) {
                return FACTORY.createParser(b, offset, length);
            }
        }
        int start = offset;
        if (length >= 3 && (b[offset] & 0xFF) == 0xEF && (b[offset + 1] & 0xFF) == 0xBB
                && (b[offset + 2] & 0xFF) == 0xBF) {
            start += 3;
        }
        int n = offset + length - start;
        if (Utf8Lenient.firstInvalid(b, start, n) >= 0) {
            out.error("JSON: invalid UTF-8");
        }
        return FACTORY.createParser(Utf8Lenient.decode(b, start, n));
    }

    /** First line of a constraint message (numbers only, no body text), capped. */
    private static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "malformed";
        }
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        return m.length() > 160 ? m.substring(0, 160) : m;
    }
}

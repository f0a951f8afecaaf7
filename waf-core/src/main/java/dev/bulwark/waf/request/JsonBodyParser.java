package dev.bulwark.waf.request;

import dev.bulwark.waf.transform.Utf8Lenient;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;

/**
 * Flattens a JSON body into args with Jackson's streaming parser (no tree is built). Depth is
 * counted here against {@link BodyLimits#maxDepth()}; Jackson's own constraints (nesting, number
 * and string length) stay as a backstop and surface as limit errors.
 *
 * <p>Lenient on purpose: a document that the application's parser accepts but a strict parser
 * rejects would otherwise reach the application with its values never seen as arguments. So the
 * union of what common lenient parsers accept is read:
 * <ul>
 *   <li>{@code NaN}, {@code Infinity}, {@code -Infinity}: Python's {@code json} (default),
 *       Json.NET, Gson (lenient), JSON5.</li>
 *   <li>raw control characters in strings: Python's {@code json} with {@code strict=False},
 *       Gson, many hand-rolled parsers.</li>
 *   <li>{@code //}, <code>/* *&#47;</code> and {@code #} comments: Json.NET, Gson, JSON5,
 *       Ruby's {@code json}, System.Text.Json (optional), Jackson (optional).</li>
 *   <li>single-quoted strings and unquoted names: Json.NET, Gson, JSON5, Jackson (optional).</li>
 *   <li>trailing commas and missing array values ({@code [1,,2]}): JSON5, Gson, Json.NET,
 *       System.Text.Json (optional).</li>
 *   <li>numbers with a leading {@code +}, leading zeros, or a leading or trailing decimal point:
 *       JSON5 and JavaScript object literals.</li>
 *   <li>a backslash before any character, the record separator (RFC 7464 JSON text sequences).</li>
 * </ul>
 * Nothing is lost by this: a strictly valid document gives the same args as before. Duplicate
 * keys give one arg per occurrence, so every value is inspected whichever one the application
 * keeps (Python and JavaScript keep the last, some Java parsers the first). Whatever still does
 * not parse reaches rules as {@code REQUEST_BODY_UNPARSED}.
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
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_MISSING_VALUES)
            .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
            .enable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
            .enable(JsonReadFeature.ALLOW_RS_CONTROL_CHAR)
            .build();

    private JsonBodyParser() {
    }

    /**
     * @param sequence whether several top-level values may follow one another (JSON lines, or a
     *                 body whose type did not declare JSON); each is flattened from {@code json}
     */
    static void parse(byte[] b, int offset, int length, ParsedBody.Builder out, boolean sequence) {
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
                    if (rootDone && !sequence) {
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

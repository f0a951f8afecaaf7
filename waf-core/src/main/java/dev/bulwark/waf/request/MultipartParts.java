package dev.bulwark.waf.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a {@code multipart/form-data} body into its parts with the engine's own parser, so that
 * a connector that must hand the parts to an application (a Servlet request wrapper's
 * {@code getParts()}) gives it exactly the parts the WAF inspected: one parser, no differential
 * for an attacker to exploit. Part contents are offsets into the caller's array, not copies.
 */
public final class MultipartParts {

    private MultipartParts() {
    }

    /**
     * One part.
     *
     * @param name the form field name
     * @param fileName the submitted file name, or null for a plain field
     * @param contentType the part's Content-Type header, or null
     * @param headers every part header in arrival order (folded lines joined)
     * @param contentFrom first byte of the content in the parsed array
     * @param contentTo end (exclusive) of the content
     */
    public record Part(String name, String fileName, String contentType, List<Map.Entry<String, String>> headers,
                       int contentFrom, int contentTo) {

        public Part {
            headers = List.copyOf(headers);
        }
    }

    /**
     * The outcome of {@link #split}.
     *
     * @param parts the parts, in order (those before an error, if any)
     * @param error why the body is invalid, or null; the engine reports the same error
     * @param limitExceeded whether the body has more parts than allowed
     */
    public record Result(List<Part> parts, String error, boolean limitExceeded) {

        public Result {
            parts = List.copyOf(parts);
        }
    }

    /** Splits {@code body[offset, offset + length)}; never throws on malformed input. */
    public static Result split(String contentType, byte[] body, int offset, int length, BodyLimits limits) {
        ParsedBody.Builder out = new ParsedBody.Builder(BodyProcessor.MULTIPART, limits);
        out.slices = new ArrayList<>();
        MultipartParser.parse(contentType, body, offset, length, out);
        return new Result(out.slices, out.error, out.limitExceeded);
    }
}

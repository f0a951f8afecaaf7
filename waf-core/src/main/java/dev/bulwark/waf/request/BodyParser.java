package dev.bulwark.waf.request;

/**
 * Entry point the engine calls to parse a buffered request body.
 */
public final class BodyParser {

    private BodyParser() {
    }

    /**
     * Parses {@code body[offset, offset+length)} with {@code processor}. Never throws on bad
     * input: malformed bodies give a result with {@link ParsedBody#error()} set and whatever was
     * parsed before the problem; limits give {@link ParsedBody#limitExceeded()}.
     *
     * <p>JSON accepts several top-level values in a row (each flattened from {@code json}) when
     * the Content-Type is a JSON-lines type or does not declare JSON at all (a sniffed or forced
     * body); a declared single document with trailing data is an error.
     *
     * @param processor   the processor (null means {@link BodyProcessor#NONE})
     * @param contentType the request Content-Type (multipart needs its boundary); may be null
     * @param body        the buffered body; null is treated as empty
     * @param offset      start of the body in {@code body}
     * @param length      number of body bytes; an out-of-range slice gives an error result
     * @param limits      the bounds to apply (null means {@link BodyLimits#defaults()})
     */
    public static ParsedBody parse(BodyProcessor processor, String contentType, byte[] body, int offset,
                                   int length, BodyLimits limits) {
        BodyProcessor p = processor == null ? BodyProcessor.NONE : processor;
        ParsedBody.Builder out = new ParsedBody.Builder(p, limits == null ? BodyLimits.defaults() : limits);
        byte[] b = body == null ? new byte[0] : body;
        if (body == null) {
            offset = 0;
            length = 0;
        }
        if (offset < 0 || length < 0 || offset > b.length - length) {
            out.error("body slice out of range");
            return out.build();
        }
        try {
            switch (p) {
                case URLENCODED:
                    if (UrlEncoded.parseInto(b, offset, length, out.limits.maxArgs(), out.args)) {
                        out.limitExceeded = true;
                    }
                    for (int i = 0; i < out.args.size(); i++) {
                        Arg a = out.args.get(i);
                        if (a.name().length() > out.limits.maxNameLength()) {
                            out.args.set(i, new Arg(out.cut(a.name()), a.value()));
                        }
                    }
                    break;
                case MULTIPART:
                    MultipartParser.parse(contentType, b, offset, length, out);
                    break;
                case JSON:
                    JsonBodyParser.parse(b, offset, length, out, BodyProcessor.isJsonSequence(contentType)
                            || BodyProcessor.forContentType(contentType) != BodyProcessor.JSON);
                    break;
                case XML:
                    XmlBodyParser.parse(b, offset, length, out);
                    break;
                default:
                    break;
            }
        } catch (RuntimeException | StackOverflowError e) {
            // Backstop only: the parsers handle bad input themselves; a bug must not become an
            // exception path an attacker can trigger.
            out.error(p + ": internal parser error");
        }
        return out.build();
    }
}

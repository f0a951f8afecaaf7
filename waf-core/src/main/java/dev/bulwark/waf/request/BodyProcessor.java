package dev.bulwark.waf.request;

/**
 * The body processors ({@code REQBODY_PROCESSOR}) and how a Content-Type selects one.
 *
 * <p>A body whose type selects no processor (no Content-Type, {@code text/plain},
 * {@code application/graphql}, {@code application/octet-stream}, anything unknown) is still
 * inspected as raw text, and {@link #sniff} tells whether it is also shaped like JSON or a form:
 * many applications parse such bodies anyway (Flask's {@code get_json(force=True)}, Express body
 * parsers configured for every type, GraphQL servers reading JSON under any type).
 */
public enum BodyProcessor {
    /** {@code application/x-www-form-urlencoded}. */
    URLENCODED,
    /** {@code multipart/form-data}. */
    MULTIPART,
    /**
     * {@code application/json}, {@code text/json}, any {@code +json}, {@code /json} or
     * {@code /x-json} type, {@code application/csp-report}, and the JSON-lines types
     * ({@code application/jsonl}, {@code application/x-ndjson}, ...) whose top-level values
     * follow one another.
     */
    JSON,
    /** {@code application/xml}, {@code text/xml} and any {@code +xml} type. */
    XML,
    /** Anything else: no declared format (the body is inspected raw and {@linkplain #sniff sniffed}). */
    NONE;

    /**
     * Picks the processor for a Content-Type header value. Parameters are ignored, the media
     * type is compared case-insensitively (ASCII only, so no locale or Unicode folding can turn
     * a foreign type into a known one). Null or unknown types give {@link #NONE}.
     */
    public static BodyProcessor forContentType(String contentType) {
        if (contentType == null) {
            return NONE;
        }
        String type = mediaType(contentType);
        switch (type) {
            case "application/x-www-form-urlencoded":
                return URLENCODED;
            case "multipart/form-data":
                return MULTIPART;
            case "application/csp-report":
                return JSON;
            case "application/xml":
            case "text/xml":
                return XML;
            default:
                break;
        }
        if (isJsonSequence(type)) {
            return JSON;
        }
        int slash = type.indexOf('/');
        if (slash > 0 && slash < type.length() - 1) {
            if (type.endsWith("+json") || type.endsWith("/json") || type.endsWith("/x-json")) {
                return JSON;
            }
            if (type.endsWith("+xml")) {
                return XML;
            }
        }
        return NONE;
    }

    /**
     * Whether the Content-Type names newline-delimited JSON (several top-level values, e.g. one
     * per line): {@code application/jsonl}, {@code application/jsonlines},
     * {@code application/x-jsonlines}, {@code application/ndjson}, {@code application/x-ndjson},
     * {@code application/json-seq} (RFC 7464).
     */
    static boolean isJsonSequence(String contentType) {
        if (contentType == null) {
            return false;
        }
        switch (mediaType(contentType)) {
            case "application/jsonl":
            case "application/jsonlines":
            case "application/x-jsonlines":
            case "application/ndjson":
            case "application/x-ndjson":
            case "application/json-seq":
                return true;
            default:
                return false;
        }
    }

    /**
     * What an undeclared body looks like: {@link #JSON} when its first non-whitespace character
     * (after a UTF-8 BOM) is <code>{</code> or {@code [}, {@link #URLENCODED} when it has the
     * shape {@code name=value(&name=value)*} (at least one {@code =}, names without whitespace or
     * control characters; a trailing line end is allowed), else {@link #NONE}. Only the shape is
     * checked: the caller parses and keeps the result only when the parse succeeds.
     */
    public static BodyProcessor sniff(byte[] b, int offset, int length) {
        if (b == null || length <= 0 || offset < 0 || offset > b.length - length) {
            return NONE;
        }
        int end = offset + length;
        int i = offset;
        if (length >= 3 && (b[i] & 0xFF) == 0xEF && (b[i + 1] & 0xFF) == 0xBB && (b[i + 2] & 0xFF) == 0xBF) {
            i += 3;
        }
        while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        if (i < end && (b[i] == '{' || b[i] == '[')) {
            return JSON;
        }
        return looksLikeForm(b, offset, end) ? URLENCODED : NONE;
    }

    private static boolean looksLikeForm(byte[] b, int start, int end) {
        while (end > start && (b[end - 1] == '\r' || b[end - 1] == '\n')) {
            end--;
        }
        boolean inName = true;
        boolean sawEquals = false;
        int nameLength = 0;
        for (int i = start; i < end; i++) {
            int c = b[i] & 0xFF;
            if (c == '&') {
                inName = true;
                nameLength = 0;
            } else if (!inName) {
                continue;
            } else if (c == '=') {
                if (nameLength == 0) {
                    return false;
                }
                sawEquals = true;
                inName = false;
            } else if (c <= 0x20 || c == 0x7F) {
                return false;
            } else {
                nameLength++;
            }
        }
        return sawEquals;
    }

    /** The part before the first ';', trimmed and ASCII-lowercased. */
    static String mediaType(String contentType) {
        int end = contentType.indexOf(';');
        if (end < 0) {
            end = contentType.length();
        }
        int start = 0;
        while (start < end && isSpace(contentType.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(contentType.charAt(end - 1))) {
            end--;
        }
        StringBuilder sb = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = contentType.charAt(i);
            sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return sb.toString();
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}

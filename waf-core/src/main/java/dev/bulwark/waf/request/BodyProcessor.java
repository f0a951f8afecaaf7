package dev.bulwark.waf.request;

/**
 * The body processors ({@code REQBODY_PROCESSOR}) and how a Content-Type selects one.
 */
public enum BodyProcessor {
    /** {@code application/x-www-form-urlencoded}. */
    URLENCODED,
    /** {@code multipart/form-data}. */
    MULTIPART,
    /** {@code application/json}, {@code text/json} and any {@code +json} type. */
    JSON,
    /** {@code application/xml}, {@code text/xml} and any {@code +xml} type. */
    XML,
    /** Anything else: the body is not parsed. */
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
            case "application/json":
            case "text/json":
                return JSON;
            case "application/xml":
            case "text/xml":
                return XML;
            default:
                break;
        }
        int slash = type.indexOf('/');
        if (slash > 0 && slash < type.length() - 1) {
            if (type.endsWith("+json")) {
                return JSON;
            }
            if (type.endsWith("+xml")) {
                return XML;
            }
        }
        return NONE;
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

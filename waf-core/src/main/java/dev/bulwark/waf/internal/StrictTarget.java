package dev.bulwark.waf.internal;

import dev.bulwark.waf.StrictParsing;

/**
 * Strict checks of the request line: the method, the request target and the protocol as the
 * connector passed them. Returns a short reason (never request text) or null. Internal.
 */
final class StrictTarget {

    private StrictTarget() {
    }

    /** An empty method or target means the connector gave none (HTTP/1 parsers refuse empty ones). */
    static String check(StrictParsing cfg, String method, String target, String protocol) {
        for (int i = 0; i < method.length(); i++) {
            if (!MediaType.isTchar(method.charAt(i))) {
                return "request method is not a token";
            }
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            // Raw UTF-8, invalid bytes a server turned into U+FFFD or '?', controls, spaces: the
            // backend may re-encode them differently (the bytes after a '?' it made up become a
            // query). '#' never belongs in a request target; servers cut the rest differently.
            if (c < 0x21 || c > 0x7E || c == '#') {
                return "request target has a character outside printable ASCII";
            }
        }
        for (int i = 0; i < protocol.length(); i++) {
            char c = protocol.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return "request protocol has a character outside printable ASCII";
            }
        }
        return checkPath(cfg, path(target));
    }

    /** The path of an origin- or absolute-form target (authority and query removed). */
    static String path(String target) {
        String t = target;
        int scheme = t.indexOf("://");
        if (scheme > 0 && !t.startsWith("/")) {
            int slash = t.indexOf('/', scheme + 3);
            int q = t.indexOf('?', scheme + 3);
            if (slash < 0 || q >= 0 && q < slash) {
                return "/";
            }
            t = t.substring(slash);
        }
        int q = t.indexOf('?');
        return q < 0 ? t : t.substring(0, q);
    }

    /**
     * Dot-segments that carry a path parameter ({@code ..;x}: Tomcat reads {@code ..}) or are
     * percent-encoded ({@code %2e%2e}: containers decode and resolve them, rules see no
     * {@code ..}) are always refused. Other path parameters are refused unless allowed:
     * containers strip them before mapping servlets and security constraints, path-scoped rules
     * see them.
     */
    static String checkPath(StrictParsing cfg, String path) {
        if (path.indexOf('%') < 0 && path.indexOf(';') < 0) {
            return null; // the common case: nothing encoded, no parameters
        }
        int n = path.length();
        int start = 0;
        while (start <= n) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            String reason = checkSegment(cfg, path.substring(start, end), end == n);
            if (reason != null) {
                return reason;
            }
            start = end + 1;
        }
        return null;
    }

    private static String checkSegment(StrictParsing cfg, String raw, boolean last) {
        if (raw.indexOf('%') < 0 && raw.indexOf(';') < 0) {
            return null;
        }
        // Decoded up to three times: a proxy or framework in front may decode once more.
        String decoded = raw;
        for (int round = 0; round < 3; round++) {
            String next = percentDecode(decoded);
            if (next.equals(decoded)) {
                break;
            }
            decoded = next;
        }
        int semi = decoded.indexOf(';');
        String base = semi < 0 ? decoded : decoded.substring(0, semi);
        if ((base.equals(".") || base.equals("..")) && !raw.equals(base)) {
            return "path has an encoded dot-segment or one with a path parameter";
        }
        if (semi < 0 || cfg.pathParameters() == StrictParsing.PathParameters.ALLOW) {
            return null;
        }
        // Only literal ';name[=value]' pairs with allowed names, on the last segment, pass.
        int rawSemi = raw.indexOf(';');
        if (!last || rawSemi < 0 || percentDecode(raw.substring(0, rawSemi)).indexOf(';') >= 0) {
            return "path has a path parameter";
        }
        for (String p : Text.split(raw.substring(rawSemi + 1), ";")) {
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            if (name.indexOf('%') >= 0 || !cfg.pathParameterAllowed(name)) {
                return "path has a path parameter";
            }
        }
        return null;
    }

    /** One round of %XX decoding as bytes, read as ISO-8859-1 (only ASCII results matter here). */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Ascii.hexValue(s.charAt(i + 1)) >= 0
                    && Ascii.hexValue(s.charAt(i + 2)) >= 0) {
                sb.append((char) (Ascii.hexValue(s.charAt(i + 1)) * 16 + Ascii.hexValue(s.charAt(i + 2))));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

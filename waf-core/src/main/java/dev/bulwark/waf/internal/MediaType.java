package dev.bulwark.waf.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict RFC 9110 media type ({@code type/subtype *(OWS ";" OWS [name "=" value])}, values a
 * token or a quoted-string). Anything else is an error: a value that is not exactly one media
 * type is one that different parsers read differently. Internal.
 *
 * @param type ASCII-lower-cased {@code type/subtype}, null on error
 * @param params parameter names ASCII-lower-cased, values unquoted as written; null on error
 * @param error why the value is refused (no request text in it), null when it parsed
 */
record MediaType(String type, Map<String, String> params, String error) {

    private static final String SEPARATORS = "\"(),/:;<=>?@[\\]{}";

    static MediaType parse(String v) {
        int n = v.length();
        int i = skipOws(v, 0);
        while (n > i && isOws(v.charAt(n - 1))) {
            n--;
        }
        int t = token(v, i, n);
        if (t == i || t >= n || v.charAt(t) != '/') {
            return error("Content-Type is not a media type");
        }
        int s = token(v, t + 1, n);
        if (s == t + 1) {
            return error("Content-Type is not a media type");
        }
        String type = lower(v.substring(i, s));
        Map<String, String> params = new LinkedHashMap<>();
        i = s;
        while (true) {
            i = skipOws(v, i);
            if (i >= n) {
                break;
            }
            if (v.charAt(i) != ';') {
                return error("Content-Type has text after the media type");
            }
            i = skipOws(v, i + 1);
            if (i >= n || v.charAt(i) == ';') {
                continue; // an empty parameter is allowed by the grammar
            }
            int ne = token(v, i, n);
            if (ne == i || ne >= n || v.charAt(ne) != '=') {
                return error("Content-Type parameter is not name=value");
            }
            String name = lower(v.substring(i, ne));
            i = ne + 1;
            String value;
            if (i < n && v.charAt(i) == '"') {
                int q = i + 1;
                while (q < n && v.charAt(q) != '"') {
                    char c = v.charAt(q);
                    if (c == '\\') {
                        // quoted-pair: some parsers unescape, others (boundary finders) do not.
                        return error("Content-Type parameter has a backslash escape");
                    }
                    if (c != '\t' && (c < 0x20 || c > 0x7E)) {
                        return error("Content-Type parameter has a control or non-ASCII character");
                    }
                    q++;
                }
                if (q >= n) {
                    return error("Content-Type parameter has an unterminated quote");
                }
                value = v.substring(i + 1, q);
                i = q + 1;
            } else {
                int ve = token(v, i, n);
                if (ve == i) {
                    return error("Content-Type parameter has an empty or invalid value");
                }
                value = v.substring(i, ve);
                i = ve;
            }
            if (params.putIfAbsent(name, value) != null) {
                // Which one wins differs: first (this WAF's parsers), last (Jetty, Werkzeug).
                return error("Content-Type has a repeated parameter");
            }
        }
        return new MediaType(type, params, null);
    }

    private static MediaType error(String why) {
        return new MediaType(null, null, why);
    }

    /** End of the token starting at {@code i} ({@code i} itself when there is none). */
    private static int token(String v, int i, int n) {
        while (i < n && isTchar(v.charAt(i))) {
            i++;
        }
        return i;
    }

    static boolean isTchar(char c) {
        return c > 0x20 && c < 0x7F && SEPARATORS.indexOf(c) < 0;
    }

    /** ASCII letters only, so no Unicode case folding turns a foreign name into a known one. */
    static String lower(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return sb.toString();
    }

    private static int skipOws(String v, int i) {
        while (i < v.length() && isOws(v.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}

package dev.bulwark.waf;

import dev.bulwark.waf.internal.Ascii;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict request validation: when the WAF cannot be sure how the application will read a
 * request, it refuses it (400) instead of passing it uninspected. Refused are duplicate or
 * conflicting framing headers, Content-Types that are not one well-formed media type, charsets
 * outside {@link #allowedCharsets()}, multipart bodies that are not strictly well-formed, request
 * lines with bytes outside printable ASCII, dot-segments that carry path parameters or are
 * percent-encoded, and (by {@link #pathParameters()}) path parameters. See the README section
 * "Strict parsing and why".
 *
 * @param enabled whether the checks run at all (default true)
 * @param allowedCharsets charset names accepted in a {@code charset} parameter, compared
 *        case-insensitively as written (default UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15,
 *        windows-1252 in their common spellings); every name must be a charset Java knows
 * @param pathParameters whether {@code ;param} in a path segment is refused (default) or allowed
 * @param allowedPathParameters parameter names accepted on the last path segment even when path
 *        parameters are refused (default {@code jsessionid}), compared case-insensitively
 */
public record StrictParsing(boolean enabled, List<String> allowedCharsets, PathParameters pathParameters,
                            List<String> allowedPathParameters) {

    /** What to do with path parameters ({@code /a;x=1/b}). */
    public enum PathParameters {
        /** Refuse them, except {@link #allowedPathParameters()} on the last segment (the default). */
        REJECT,
        /** Allow them (dot-segments carrying parameters are still refused). */
        ALLOW
    }

    /**
     * UTF-8, US-ASCII, ISO-8859-1 and, as CRS allows by default, ISO-8859-15 and windows-1252,
     * in the spellings clients use. All read ASCII bytes as ASCII, so a payload means the same
     * to the WAF and the application whichever of them it declares.
     */
    private static final List<String> DEFAULT_CHARSETS = List.of("utf-8", "utf8", "us-ascii", "ascii",
            "iso-8859-1", "iso8859-1", "iso_8859-1", "iso8859_1", "latin1",
            "iso-8859-15", "iso8859-15", "latin9", "windows-1252", "cp1252");

    public StrictParsing {
        if (allowedCharsets == null || pathParameters == null || allowedPathParameters == null) {
            throw new IllegalArgumentException("allowedCharsets, pathParameters and allowedPathParameters must be set");
        }
        allowedCharsets = lowerCase(allowedCharsets, "allowedCharsets");
        allowedPathParameters = lowerCase(allowedPathParameters, "allowedPathParameters");
        for (String cs : allowedCharsets) {
            boolean known;
            try {
                known = Charset.isSupported(cs);
            } catch (IllegalArgumentException e) {
                known = false;
            }
            if (!known) {
                throw new IllegalArgumentException("allowedCharsets: '" + cs + "' is not a charset Java knows");
            }
        }
    }

    /** Enabled, the default charsets, path parameters refused except {@code jsessionid}. */
    public static StrictParsing defaults() {
        return new StrictParsing(true, DEFAULT_CHARSETS, PathParameters.REJECT, List.of("jsessionid"));
    }

    /** Everything off: no strict validation. */
    public static StrictParsing disabled() {
        return defaults().withEnabled(false);
    }

    public StrictParsing withEnabled(boolean v) {
        return new StrictParsing(v, allowedCharsets, pathParameters, allowedPathParameters);
    }

    public StrictParsing withAllowedCharsets(List<String> v) {
        return new StrictParsing(enabled, v, pathParameters, allowedPathParameters);
    }

    public StrictParsing withPathParameters(PathParameters v) {
        return new StrictParsing(enabled, allowedCharsets, v, allowedPathParameters);
    }

    public StrictParsing withAllowedPathParameters(List<String> v) {
        return new StrictParsing(enabled, allowedCharsets, pathParameters, v);
    }

    /** Whether {@code charset} (as written in a parameter, unquoted) is allowed. */
    public boolean charsetAllowed(String charset) {
        return allowedCharsets.contains(Ascii.lower(charset));
    }

    /** Whether path parameter {@code name} is allowed on the last segment. */
    public boolean pathParameterAllowed(String name) {
        return allowedPathParameters.contains(Ascii.lower(name));
    }

    private static List<String> lowerCase(List<String> in, String what) {
        List<String> out = new ArrayList<>(in.size());
        for (String s : in) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(what + ": empty entry");
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c <= 0x20 || c >= 0x7F || c == ';' || c == '=' || c == '"' || c == ',') {
                    throw new IllegalArgumentException(what + ": '" + s + "' contains a character that cannot appear in a request");
                }
            }
            out.add(Ascii.lower(s));
        }
        return List.copyOf(out);
    }

}

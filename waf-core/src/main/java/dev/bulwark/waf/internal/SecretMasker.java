package dev.bulwark.waf.internal;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * Masks secrets in values that leave the engine (matched values, log data, audit URIs), so the
 * audit log does not become a store of card numbers and credentials. Linear-time (RE2J).
 */
final class SecretMasker {

    static final int MAX_VALUE = 256;

    private static final Pattern CARD = Pattern.compile("\\b\\d(?:[ -]?\\d){12,18}\\b");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)((?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|auth(?:orization)?|session(?:id)?|jsessionid|credential)s?[\"']?\\s*[=:]\\s*[\"']?)([^&\\s\"';,]{3,})");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+([A-Za-z0-9._~+/=-]{8,})");
    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
    private static final Pattern AWS = Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b");

    private SecretMasker() {
    }

    static String maskAndTruncate(String value) {
        return maskAndTruncate(value, MAX_VALUE);
    }

    static String maskAndTruncate(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        // Mask on a bounded prefix: the output is truncated anyway, and this bounds the work.
        String v = value.length() > max + 64 ? value.substring(0, max + 64) : value;
        v = mask(v);
        return v.length() > max ? v.substring(0, max) + "…" : v;
    }

    static String mask(String v) {
        if (hasDigitRun(v)) {
            v = maskCards(v);
        }
        v = replaceGroup(KEY_VALUE, v, 2);
        v = replaceGroup(BEARER, v, 2);
        v = JWT.matcher(v).replaceAll("eyJ****");
        v = AWS.matcher(v).replaceAll("AKIA****************");
        return v;
    }

    private static boolean hasDigitRun(String v) {
        int run = 0;
        for (int i = 0; i < v.length(); i++) {
            if (Character.isDigit(v.charAt(i))) {
                if (++run >= 13) {
                    return true;
                }
            } else if (v.charAt(i) != ' ' && v.charAt(i) != '-') {
                run = 0;
            }
        }
        return false;
    }

    private static String maskCards(String v) {
        Matcher m = CARD.matcher(v);
        StringBuilder sb = new StringBuilder(v.length());
        int pos = 0;
        while (m.find()) {
            String candidate = m.group();
            sb.append(v, pos, m.start());
            sb.append(luhn(candidate) ? maskDigits(candidate) : candidate);
            pos = m.end();
        }
        sb.append(v, pos, v.length());
        return sb.toString();
    }

    private static String maskDigits(String s) {
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                digits++;
            }
        }
        StringBuilder sb = new StringBuilder(s.length());
        int seen = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isDigit(c)) {
                seen++;
                sb.append(seen <= 6 || seen > digits - 4 ? c : '*');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Luhn checksum over the digits of {@code s}. */
    static boolean luhn(String s) {
        int sum = 0;
        boolean dbl = false;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    private static String replaceGroup(Pattern p, String v, int group) {
        Matcher m = p.matcher(v);
        if (!m.find()) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length());
        int pos = 0;
        do {
            sb.append(v, pos, m.start(group)).append("****");
            pos = m.end(group);
        } while (m.find());
        sb.append(v, pos, v.length());
        return sb.toString();
    }
}

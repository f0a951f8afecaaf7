package dev.bulwark.waf.rule;

import java.util.Locale;

/**
 * One variable a rule inspects, in ModSecurity notation: {@code ARGS}, {@code ARGS:id},
 * {@code ARGS:/^user_/} (regex selector), {@code !ARGS:password} (exclusion), {@code &ARGS}
 * (the count of entries instead of their values).
 *
 * @param collection the variable name, upper case ({@code ARGS}, {@code REQUEST_HEADERS}, {@code TX}, ...)
 * @param key the selector, or null for the whole collection
 * @param keyIsRegex whether {@code key} is a regular expression (RE2 syntax, case-insensitive)
 * @param exclude whether this entry removes matching members from the other targets
 * @param count whether the rule sees the number of members instead of their values
 */
public record Target(String collection, String key, boolean keyIsRegex, boolean exclude, boolean count) {

    public Target {
        if (collection == null || collection.isBlank()) {
            throw new IllegalArgumentException("target has no variable name");
        }
        collection = collection.toUpperCase(Locale.ROOT);
        if (key != null && key.isEmpty()) {
            key = null;
        }
        if (exclude && count) {
            throw new IllegalArgumentException("a target cannot be both an exclusion (!) and a count (&)");
        }
    }

    /** Parses ModSecurity notation, for example {@code !REQUEST_COOKIES:/__utm/}. */
    public static Target parse(String text) {
        String t = text.trim();
        boolean exclude = false;
        boolean count = false;
        if (t.startsWith("!")) {
            exclude = true;
            t = t.substring(1).trim();
        }
        if (t.startsWith("&")) {
            count = true;
            t = t.substring(1).trim();
        }
        int colon = t.indexOf(':');
        String name = colon < 0 ? t : t.substring(0, colon);
        String key = colon < 0 ? null : t.substring(colon + 1);
        boolean regex = false;
        if (key != null) {
            if (key.length() >= 2 && key.startsWith("/") && key.endsWith("/")) {
                regex = true;
                key = key.substring(1, key.length() - 1);
            } else if (key.length() >= 2 && key.startsWith("'") && key.endsWith("'")) {
                key = key.substring(1, key.length() - 1);
            }
        }
        if (!isVariableName(name)) {
            throw new IllegalArgumentException("invalid variable name '" + name + "' in target '" + text + "'");
        }
        return new Target(name, key, regex, exclude, count);
    }

    private static boolean isVariableName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (exclude) {
            sb.append('!');
        }
        if (count) {
            sb.append('&');
        }
        sb.append(collection);
        if (key != null) {
            sb.append(':');
            sb.append(keyIsRegex ? "/" + key + "/" : key);
        }
        return sb.toString();
    }
}

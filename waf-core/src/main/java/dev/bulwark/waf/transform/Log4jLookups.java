package dev.bulwark.waf.transform;

import java.util.Locale;

/**
 * {@code log4jLookupDecode}: evaluates the Log4j2 lookup syntax attackers use to obfuscate
 * {@code ${jndi:...}}, innermost first, without touching anything but the text:
 * <ul>
 *   <li>{@code ${jndi:X}} stays {@code ${jndi:X}} (with {@code X} resolved) so rules see it;</li>
 *   <li>{@code ${lower:X}} / {@code ${upper:X}} become {@code X} lower-/upper-cased;</li>
 *   <li>any other lookup with a default, {@code ${prefix:name:-D}} or {@code ${::-D}}, becomes
 *       {@code D} (we never know the real value, the attacker relies on the default);</li>
 *   <li>{@code ${date:'j'}} becomes {@code j} (quotes removed);</li>
 *   <li>any other {@code ${prefix:X}} becomes {@code X}; {@code ${X}} without a colon stays.</li>
 * </ul>
 * An unclosed <code>${</code> stays literal. Nesting deeper than {@link #MAX_NESTING} is treated as
 * literal text (its braces are balanced so outer lookups still close correctly). An explicit
 * stack, no recursion, no regex: each char is copied at most {@code MAX_NESTING + 1} times.
 * Stateless.
 */
final class Log4jLookups {

    static final int MAX_NESTING = 32;

    private Log4jLookups() {
    }

    static String decode(String s) {
        int n = s.length();
        if (s.indexOf("${") < 0) {
            return s;
        }
        StringBuilder[] frames = new StringBuilder[MAX_NESTING + 1];
        int[] literalOpen = new int[MAX_NESTING + 1];
        frames[0] = new StringBuilder(n);
        int top = 0;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < n && s.charAt(i + 1) == '{') {
                if (top < MAX_NESTING) {
                    top++;
                    frames[top] = new StringBuilder();
                    literalOpen[top] = 0;
                } else {
                    frames[top].append("${");
                    literalOpen[top]++;
                }
                i += 2;
                continue;
            }
            if (c == '}' && top > 0) {
                if (literalOpen[top] > 0) {
                    literalOpen[top]--;
                    frames[top].append('}');
                } else {
                    String resolved = resolve(frames[top]);
                    frames[top] = null;
                    top--;
                    frames[top].append(resolved);
                }
                i++;
                continue;
            }
            frames[top].append(c);
            i++;
        }
        StringBuilder out = frames[0];
        for (int d = 1; d <= top; d++) {
            out.append("${").append(frames[d]); // unclosed: literal
        }
        return Texts.orSame(s, out);
    }

    private static String resolve(StringBuilder body) {
        String c = body.toString();
        int colon = c.indexOf(':');
        if (colon < 0) {
            return "${" + c + "}";
        }
        String prefix = c.substring(0, colon).toLowerCase(Locale.ROOT);
        String arg = c.substring(colon + 1);
        switch (prefix) {
            case "jndi":
                return "${" + c + "}";
            case "lower":
                return cutDefault(arg).toLowerCase(Locale.ROOT);
            case "upper":
                return cutDefault(arg).toUpperCase(Locale.ROOT);
            default:
                break;
        }
        int dflt = c.indexOf(":-");
        if (dflt >= 0) {
            return c.substring(dflt + 2);
        }
        if (prefix.equals("date")) {
            return withoutQuotes(arg);
        }
        return arg;
    }

    private static String withoutQuotes(String arg) {
        StringBuilder sb = new StringBuilder(arg.length());
        for (int k = 0; k < arg.length(); k++) {
            if (arg.charAt(k) != '\'') {
                sb.append(arg.charAt(k));
            }
        }
        return sb.toString();
    }

    private static String cutDefault(String arg) {
        int d = arg.indexOf(":-");
        return d < 0 ? arg : arg.substring(0, d);
    }
}

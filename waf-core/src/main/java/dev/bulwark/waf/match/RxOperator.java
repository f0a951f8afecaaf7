package dev.bulwark.waf.match;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.bulwark.waf.match.dfa.LazyDfa;
import dev.bulwark.waf.spi.MatchContext;
import dev.bulwark.waf.spi.Operator;

import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code @rx}: an RE2 regular expression (RE2J, so matching is linear in the input whatever the
 * pattern). Patterns are compiled with DOTALL and MULTILINE, as ModSecurity v3 and Coraza do
 * for CRS. With the {@code capture} action, group 0 and groups 1..9 are recorded; a group that
 * did not take part in the match is recorded as "".
 *
 * <p>A fixed pattern (no macro) is also compiled to a {@link LazyDfa} when its syntax allows, and
 * {@link #matches} asks it first. Without {@code capture}, the DFA's yes/no is the answer (it is
 * exact; RE2J runs only when the DFA gives up). With {@code capture}, a "no" skips RE2J, and
 * otherwise RE2J searches from the leftmost match start the DFA found: same match and groups,
 * without simulating RE2J's NFA over the prefix.
 *
 * <p>A pattern holding {@code %{...}} is expanded per call and compiled through a small bounded
 * cache; if the expanded text does not compile the operator does not match (it never throws at
 * run time).
 */
final class RxOperator implements Operator {

    static final int FLAGS = Pattern.DOTALL | Pattern.MULTILINE;
    /** Entries per macro-bearing rule; the cache is dropped as a whole when it fills up. */
    static final int CACHE_LIMIT = 256;
    /** Marks an expanded pattern that failed to compile, so it is not retried every call. */
    private static final Pattern INVALID = Pattern.compile("[^\\x00-\\x{10FFFF}]");

    private final Pattern fixed;
    /** Yes/no pre-check for {@link #fixed}; null when the pattern is unsupported or has macros. */
    private final LazyDfa dfa;
    private final MacroText macro;
    private final ConcurrentHashMap<String, Pattern> cache;

    private RxOperator(Pattern fixed, LazyDfa dfa, MacroText macro) {
        this.fixed = fixed;
        this.dfa = dfa;
        this.macro = macro;
        this.cache = macro == null ? null : new ConcurrentHashMap<>();
    }

    /** @throws IllegalArgumentException when the pattern (without macros) does not compile */
    static RxOperator create(String argument) {
        MacroText arg = MacroText.of(argument);
        if (arg.hasMacro()) {
            return new RxOperator(null, null, arg);
        }
        Pattern p = compile(arg.text()); // RE2J first: it decides what is a valid pattern
        return new RxOperator(p, LazyDfa.compile(arg.text()), null);
    }

    static Pattern compile(String regex) {
        if (mayHangRe2j(regex)) {
            throw new IllegalArgumentException("unsupported regular expression /" + regex
                    + "/: case-insensitive with characters from U+1C80 up, which RE2J 1.8 cannot compile");
        }
        try {
            return Pattern.compile(regex, FLAGS);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "invalid regular expression /" + regex + "/: " + e.getDescription(), e);
        }
    }

    @Override
    public boolean matches(String input, MatchContext ctx) {
        int from = 0;
        if (dfa != null) {
            if (!ctx.captureEnabled()) {
                LazyDfa.Answer a = dfa.test(input);
                if (a != LazyDfa.Answer.MAYBE) {
                    return a == LazyDfa.Answer.YES; // exact: RE2J would answer the same
                }
            } else {
                from = dfa.matchStart(input);
                if (from < 0) {
                    return false; // certain: RE2J would not find a match either
                }
            }
        }
        Pattern p = fixed != null ? fixed : patternFor(macro.resolve(ctx));
        if (p == INVALID) {
            return false;
        }
        Matcher m = p.matcher(input);
        // No match starts before 'from', so find(from) returns find()'s match and groups.
        if (!(from == 0 ? m.find() : m.find(from))) {
            return false;
        }
        if (ctx.captureEnabled()) {
            int groups = Math.min(9, m.groupCount());
            for (int g = 0; g <= groups; g++) {
                String v = m.group(g);
                ctx.capture(g, v == null ? "" : v);
            }
        }
        return true;
    }

    private Pattern patternFor(String regex) {
        Pattern p = cache.get(regex);
        if (p != null) {
            return p;
        }
        try {
            p = mayHangRe2j(regex) ? INVALID : Pattern.compile(regex, FLAGS);
        } catch (PatternSyntaxException | StackOverflowError e) {
            // The expansion may carry request data; RE2J's parser recurses on nesting, so a
            // deeply nested value must cost this rule a match, not the worker thread.
            p = INVALID;
        }
        if (cache.size() >= CACHE_LIMIT) {
            // Crude but bounded and lock-free: attacker-influenced macro values cannot grow it.
            cache.clear();
        }
        cache.put(regex, p);
        return p;
    }

    /**
     * RE2J 1.8 never returns from compiling a case-insensitive class or literal that holds one
     * of U+1C80..U+1C88 (its case-folding loop does not terminate on those orbits). Refused
     * conservatively: an {@code i} flag anywhere together with a character, or a
     * {@code \x{...}} escape, at or above U+1C80. Matters most for macro-expanded patterns,
     * which may carry request data.
     */
    static boolean mayHangRe2j(String regex) {
        boolean high = false;
        for (int i = 0; i < regex.length() && !high; i++) {
            char c = regex.charAt(i);
            if (c >= 0x1C80) {
                high = true;
            } else if (c == '\\' && i + 2 < regex.length() && regex.charAt(i + 1) == 'x' && regex.charAt(i + 2) == '{') {
                int end = regex.indexOf('}', i + 3);
                if (end > i + 3 && end - i - 3 <= 8) {
                    try {
                        high = Long.parseLong(regex.substring(i + 3, end).trim(), 16) >= 0x1C80;
                    } catch (NumberFormatException e) {
                        // not an escape RE2J accepts either; it will report it
                    }
                }
            }
        }
        if (!high) {
            return false;
        }
        for (int i = regex.indexOf("(?"); i >= 0; i = regex.indexOf("(?", i + 2)) {
            for (int j = i + 2; j < regex.length(); j++) {
                char c = regex.charAt(j);
                if (c == 'i') {
                    return true;
                }
                if (c != 'm' && c != 's' && c != 'U' && c != '-') {
                    break; // ':' or ')' ends the flags; anything else is no flag group
                }
            }
        }
        return false;
    }

    /** Whether the fixed pattern has a DFA pre-check; for tests. */
    boolean hasDfa() {
        return dfa != null;
    }

    /** Number of cached expansions; for tests. */
    int cacheSize() {
        return cache == null ? 0 : cache.size();
    }
}

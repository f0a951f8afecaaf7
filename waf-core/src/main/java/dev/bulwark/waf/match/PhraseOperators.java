package dev.bulwark.waf.match;

import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.OperatorFactory;
import dev.bulwark.waf.spi.OperatorSupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The phrase-matching operators {@code pm}, {@code pmFromFile} and its alias {@code pmf}. All
 * match case-insensitively anywhere in the value with one {@link AhoCorasick} scan. With the
 * {@code capture} action, the matched text (as it appears in the value) is recorded as
 * {@code TX.0}; the first occurrence to end wins.
 */
public final class PhraseOperators {

    private PhraseOperators() {
    }

    /** Fresh map of operator name to factory: {@code pm}, {@code pmFromFile}, {@code pmf}. */
    public static Map<String, OperatorFactory> builtins() {
        Map<String, OperatorFactory> m = new LinkedHashMap<>();
        m.put("pm", PhraseOperators::pm);
        m.put("pmFromFile", PhraseOperators::pmFromFile);
        m.put("pmf", PhraseOperators::pmFromFile);
        return m;
    }

    /** {@code @pm phrase1 phrase2 ...}: space-separated phrases; at least one is required. */
    static Operator pm(String argument, OperatorSupport support) {
        List<String> phrases = words(argument);
        if (phrases.isEmpty()) {
            throw new IllegalArgumentException("@pm needs at least one phrase");
        }
        return operator(phrases);
    }

    /**
     * {@code @pmFromFile file1 file2 ...}: one phrase per line of each data file. Files that hold
     * no phrase give an operator that never matches, as in ModSecurity.
     */
    static Operator pmFromFile(String argument, OperatorSupport support) {
        List<String> files = words(argument);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("@pmFromFile needs at least one file name");
        }
        List<String> phrases = new ArrayList<>();
        for (String file : files) {
            try {
                for (String line : support.readDataFile(file)) {
                    if (!line.isEmpty()) { // an empty phrase would match every value
                        phrases.add(line);
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("@pmFromFile cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return operator(phrases);
    }

    private static Operator operator(List<String> phrases) {
        return new Phrases(phrases);
    }

    /**
     * The phrases of an operator built here, or null for any other operator: the engine's
     * prefilter uses them to skip values and collections in which none occurs.
     */
    public static List<String> phrasesOf(Operator op) {
        return op instanceof Phrases p ? p.phrases : null;
    }

    private static final class Phrases implements Operator {
        private final List<String> phrases;
        private final AhoCorasick ac;

        Phrases(List<String> phrases) {
            this.phrases = List.copyOf(phrases);
            this.ac = AhoCorasick.of(phrases, true);
        }

        @Override
        public boolean matches(String input, dev.bulwark.waf.spi.MatchContext context) {
            if (!context.captureEnabled()) {
                return ac.containsAny(input);
            }
            AhoCorasick.Match m = ac.firstMatch(input);
            if (m == null) {
                return false;
            }
            context.capture(0, input.substring(m.start(), m.end()));
            return true;
        }
    }

    /** Splits on ASCII whitespace without the JDK's backtracking regex package. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(text.substring(start, i));
            }
        }
        return out;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}

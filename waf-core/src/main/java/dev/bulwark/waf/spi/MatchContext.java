package dev.bulwark.waf.spi;

/** Per-transaction services available to an {@link Operator} while it matches. */
public interface MatchContext {

    /** Expands {@code %{collection.key}} macros against the current transaction. */
    String expand(String text);

    /** Whether the rule asked for capturing ({@code capture} action). */
    boolean captureEnabled();

    /** Records capture group {@code index} (0..9) as {@code TX.<index>}. */
    void capture(int index, String value);

    /**
     * Whether {@code text} holds a macro: {@code %{NAME}} or {@code %{COLLECTION.key}}, where the
     * name starts with a letter or underscore and has only letters, digits and {@code _ . : -}.
     * Anything else, such as the regex quantifier in {@code %{1,2}}, is literal text.
     */
    static boolean hasMacro(String text) {
        return text != null && nextMacro(text, 0) >= 0;
    }

    /**
     * The index of the next macro's {@code %} at or after {@code from}, or -1. The macro's name
     * runs from index+2 to the next {@code '}'}.
     */
    static int nextMacro(String text, int from) {
        int i = text.indexOf("%{", from);
        while (i >= 0) {
            int end = text.indexOf('}', i + 2);
            if (end < 0) {
                return -1;
            }
            if (isMacroName(text, i + 2, end)) {
                return i;
            }
            i = text.indexOf("%{", i + 2);
        }
        return -1;
    }

    private static boolean isMacroName(String text, int from, int to) {
        if (from >= to) {
            return false;
        }
        char first = text.charAt(from);
        if (!(Character.isLetter(first) || first == '_')) {
            return false;
        }
        for (int k = from + 1; k < to; k++) {
            char c = text.charAt(k);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** A context with no macros and no capturing. */
    static MatchContext empty() {
        return new MatchContext() {
            @Override public String expand(String text) { return text; }
            @Override public boolean captureEnabled() { return false; }
            @Override public void capture(int index, String value) { }
        };
    }
}

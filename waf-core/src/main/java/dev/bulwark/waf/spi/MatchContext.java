package dev.bulwark.waf.spi;

/** Per-transaction services available to an {@link Operator} while it matches. */
public interface MatchContext {

    /** Expands {@code %{collection.key}} macros against the current transaction. */
    String expand(String text);

    /** Whether the rule asked for capturing ({@code capture} action). */
    boolean captureEnabled();

    /** Records capture group {@code index} (0..9) as {@code TX.<index>}. */
    void capture(int index, String value);

    /** A context with no macros and no capturing. */
    static MatchContext empty() {
        return new MatchContext() {
            @Override public String expand(String text) { return text; }
            @Override public boolean captureEnabled() { return false; }
            @Override public void capture(int index, String value) { }
        };
    }
}

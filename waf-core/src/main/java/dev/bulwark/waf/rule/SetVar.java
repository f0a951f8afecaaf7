package dev.bulwark.waf.rule;

import java.util.Locale;

/**
 * A {@code setvar} action on the transaction collection: {@code tx.score=+5}, {@code tx.flag=1},
 * {@code !tx.flag} (delete), {@code tx.sqli=-%{tx.x}}. Values may contain macros.
 *
 * @param collection the collection name (only {@code TX} is writable)
 * @param name the variable name, lower case; may contain macros
 * @param op what to do
 * @param value the operand (macro text), empty for {@link Op#DELETE}
 */
public record SetVar(String collection, String name, Op op, String value) {

    /** The kind of update. */
    public enum Op { SET, ADD, SUBTRACT, DELETE }

    /** Parses ModSecurity notation. */
    public static SetVar parse(String text) {
        String t = text.trim();
        if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'")) {
            t = t.substring(1, t.length() - 1);
        }
        boolean delete = t.startsWith("!");
        if (delete) {
            t = t.substring(1);
        }
        int eq = t.indexOf('=');
        String lhs = eq < 0 ? t : t.substring(0, eq);
        String rhs = eq < 0 ? "" : t.substring(eq + 1);
        int dot = lhs.indexOf('.');
        if (dot <= 0 || dot == lhs.length() - 1) {
            throw new IllegalArgumentException("setvar needs collection.name, got '" + text + "'");
        }
        String collection = lhs.substring(0, dot).toUpperCase(Locale.ROOT);
        if (!collection.equals("TX")) {
            throw new IllegalArgumentException("setvar can only write the TX collection, got '" + text + "'");
        }
        String name = lhs.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (delete) {
            return new SetVar(collection, name, Op.DELETE, "");
        }
        if (eq < 0) {
            return new SetVar(collection, name, Op.SET, "1");
        }
        if (rhs.startsWith("+")) {
            return new SetVar(collection, name, Op.ADD, rhs.substring(1));
        }
        if (rhs.startsWith("-")) {
            return new SetVar(collection, name, Op.SUBTRACT, rhs.substring(1));
        }
        return new SetVar(collection, name, Op.SET, rhs);
    }
}

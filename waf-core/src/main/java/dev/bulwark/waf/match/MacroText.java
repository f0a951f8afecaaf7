package dev.bulwark.waf.match;

import dev.bulwark.waf.spi.MatchContext;

/**
 * An operator argument that may hold {@code %{...}} macros. Arguments without a macro are used
 * as they are, so the common case costs nothing per call.
 */
final class MacroText {

    private final String text;
    private final boolean hasMacro;

    private MacroText(String text) {
        this.text = text;
        this.hasMacro = MatchContext.hasMacro(text);
    }

    static MacroText of(String argument) {
        return new MacroText(argument == null ? "" : argument);
    }

    boolean hasMacro() {
        return hasMacro;
    }

    /** The raw argument text, as written in the rule. */
    String text() {
        return text;
    }

    /** The argument for this call: expanded through the context when it holds a macro. */
    String resolve(MatchContext ctx) {
        if (!hasMacro) {
            return text;
        }
        String expanded = ctx.expand(text);
        return expanded == null ? "" : expanded;
    }
}

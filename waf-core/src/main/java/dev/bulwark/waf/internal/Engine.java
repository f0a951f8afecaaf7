package dev.bulwark.waf.internal;

import dev.bulwark.waf.Transaction;
import dev.bulwark.waf.rule.Rule;

import java.util.List;

/** The compiled rule set and settings behind a {@code Waf}. Internal; immutable and thread-safe. */
public final class Engine {

    private final Settings settings;
    private final List<Rule> rules;

    private Engine(Settings settings, List<Rule> rules) {
        this.settings = settings;
        this.rules = List.copyOf(rules);
    }

    public static Engine build(WafSpec spec) {
        throw new UnsupportedOperationException("engine under construction");
    }

    public Settings settings() {
        return settings;
    }

    public List<Rule> rules() {
        return rules;
    }

    public Engine withMode(dev.bulwark.waf.Mode mode) {
        return new Engine(settings.withMode(mode), rules);
    }

    public Transaction newTransaction(String id) {
        throw new UnsupportedOperationException("engine under construction");
    }
}

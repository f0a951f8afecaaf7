package dev.bulwark.waf;

import dev.bulwark.waf.audit.AuditSink;
import dev.bulwark.waf.internal.Engine;
import dev.bulwark.waf.internal.WafSpec;
import dev.bulwark.waf.rule.Rule;
import dev.bulwark.waf.spi.WafExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A compiled, immutable, thread-safe web application firewall: a rule set plus settings. Build
 * one at start-up and share it; each request gets its own {@link Transaction}.
 *
 * <pre>{@code
 * Waf waf = Waf.builder().bundledRules().mode(Mode.ON).paranoiaLevel(1).build();
 * Waf fromFile = Waf.fromConfig(Path.of("bulwark.yaml"));
 * }</pre>
 *
 * Loading either fully succeeds or throws {@link WafConfigException}; there is never a
 * half-loaded rule set.
 */
public final class Waf {

    private final Engine engine;

    private Waf(Engine engine) {
        this.engine = engine;
    }

    /** Starts an empty builder (no rules; add {@link Builder#bundledRules()} for the bundled set). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads a YAML or JSON configuration file: settings plus the rule files it names (paths are
     * relative to the configuration file; {@code classpath:} prefixes read resources).
     */
    public static Waf fromConfig(Path configFile) {
        Builder b = builder();
        b.configFile = Objects.requireNonNull(configFile, "configFile");
        return b.build();
    }

    /** Starts a new transaction with a random id. */
    public Transaction newTransaction() {
        return engine.newTransaction(newId());
    }

    /** Starts a new transaction with the given id (for example an incoming request id). */
    public Transaction newTransaction(String id) {
        return engine.newTransaction(id == null || id.isBlank() ? newId() : id);
    }

    /** The mode: on, detection only, or off. */
    public Mode mode() {
        return engine.settings().mode();
    }

    /** The paranoia level, 1 to 4. */
    public int paranoiaLevel() {
        return engine.settings().paranoiaLevel();
    }

    /** The body and argument limits. */
    public Limits limits() {
        return engine.settings().limits();
    }

    /** The strict request validation settings. */
    public StrictParsing strictParsing() {
        return engine.settings().strict();
    }

    /** The status used for a deny without an explicit status (403 by default). */
    public int blockStatus() {
        return engine.settings().blockStatus();
    }

    /**
     * Whether any rule looks at responses (phases 3 and 4) at this paranoia level. When none
     * does, a connector can stream responses through without holding them back for inspection.
     */
    public boolean inspectsResponses() {
        return engine.inspectsResponses();
    }

    /** The rules in evaluation order (markers included). */
    public List<Rule> rules() {
        return engine.rules();
    }

    /** A copy of this WAF's settings and rules with another mode. */
    public Waf withMode(Mode mode) {
        return new Waf(engine.withMode(mode));
    }

    private static String newId() {
        UUID u = UUID.randomUUID();
        return Long.toHexString(u.getMostSignificantBits()) + Long.toHexString(u.getLeastSignificantBits());
    }

    /** Collects settings and rules; {@link #build()} validates and compiles them. */
    public static final class Builder {
        Path configFile;
        // Null means "not set here": the configuration file's value, or else the default, applies.
        Mode mode;
        Integer paranoiaLevel;
        Integer inboundThreshold;
        Integer outboundThreshold;
        Integer blockStatus;
        Boolean anomalyScoring;
        Boolean failOpen;
        Boolean auditAll;
        Boolean allowEmptyRuleSet;
        Limits limits;
        StrictParsing strict;
        boolean bundledRules;
        final List<Path> ruleFiles = new ArrayList<>();
        final List<String[]> ruleTexts = new ArrayList<>();
        final List<Rule> rules = new ArrayList<>();
        final List<String> removeById = new ArrayList<>();
        final List<String> removeByTag = new ArrayList<>();
        final List<WafExtension> extensions = new ArrayList<>();
        boolean serviceLoader = true;
        final List<AuditSink> auditSinks = new ArrayList<>();

        private Builder() {
        }

        /**
         * Loads settings and rule files from a configuration file. Settings set on this builder
         * win over the file's; rules, extensions and sinks add to the file's.
         */
        public Builder config(Path file) { this.configFile = Objects.requireNonNull(file); return this; }
        public Builder mode(Mode mode) { this.mode = Objects.requireNonNull(mode); return this; }
        /** Paranoia level 1 (fewest false positives) to 4 (most detection). */
        public Builder paranoiaLevel(int level) {
            if (level < 1 || level > 4) {
                throw new IllegalArgumentException("paranoia level must be 1 to 4, got " + level);
            }
            this.paranoiaLevel = level;
            return this;
        }
        /** The inbound anomaly score at which a request is denied (default 5: one critical match). */
        public Builder inboundThreshold(int score) { this.inboundThreshold = positive("inboundThreshold", score); return this; }
        /** The outbound anomaly score at which a response is denied (default 4). */
        public Builder outboundThreshold(int score) { this.outboundThreshold = positive("outboundThreshold", score); return this; }
        /**
         * Whether {@code block} adds the severity score and the request is denied once the score
         * reaches the threshold (true, default), or {@code block} denies at once (false).
         */
        public Builder anomalyScoring(boolean on) { this.anomalyScoring = on; return this; }
        /** The status of a deny without an explicit status (default 403). */
        public Builder blockStatus(int status) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("block status must be 4xx or 5xx, got " + status);
            }
            this.blockStatus = status;
            return this;
        }
        /** Whether a rule that throws lets the request through (true) or denies it (false, default). */
        public Builder failOpen(boolean failOpen) { this.failOpen = failOpen; return this; }
        public Builder limits(Limits limits) { this.limits = Objects.requireNonNull(limits); return this; }
        /** Strict request validation (default {@link StrictParsing#defaults()}: on). */
        public Builder strictParsing(StrictParsing strict) { this.strict = Objects.requireNonNull(strict); return this; }
        /** Adds the bundled rule set (needs the {@code waf-rules} artifact on the class path). */
        public Builder bundledRules() { this.bundledRules = true; return this; }
        /** Adds a YAML/JSON rule file. */
        public Builder rules(Path file) { ruleFiles.add(Objects.requireNonNull(file)); return this; }
        /** Adds rules from YAML text; {@code sourceName} is used in error messages. */
        public Builder rules(String sourceName, String yaml) { ruleTexts.add(new String[] {sourceName, yaml}); return this; }
        /** Adds a rule built in code. */
        public Builder rule(Rule rule) { rules.add(Objects.requireNonNull(rule)); return this; }
        /** Removes rules by id or id range ({@code "942100"}, {@code "942100-942199"}), after loading. */
        public Builder removeRuleById(String idOrRange) { removeById.add(idOrRange); return this; }
        /** Removes rules carrying a tag, after loading. */
        public Builder removeRuleByTag(String tag) { removeByTag.add(tag); return this; }
        /** Adds an extension (operators, transformations, rules). */
        public Builder extension(WafExtension extension) { extensions.add(Objects.requireNonNull(extension)); return this; }
        /** Whether to discover extensions with {@link java.util.ServiceLoader} (default true). */
        public Builder serviceLoader(boolean on) { this.serviceLoader = on; return this; }
        /** Adds an audit sink; without one, audit events go nowhere. */
        public Builder auditSink(AuditSink sink) { auditSinks.add(Objects.requireNonNull(sink)); return this; }
        /**
         * Whether a WAF in mode {@code On} may start with no active rule (default false: building
         * fails, because such a WAF protects nothing while looking as if it did).
         */
        public Builder allowEmptyRuleSet(boolean allow) { this.allowEmptyRuleSet = allow; return this; }
        /** Whether every transaction is audited (true) or only those with matches (false, default). */
        public Builder auditAll(boolean all) { this.auditAll = all; return this; }

        /** Validates and compiles; throws {@link WafConfigException} on any error. */
        public Waf build() {
            return new Waf(Engine.build(new WafSpec(configFile, mode, paranoiaLevel, inboundThreshold,
                    outboundThreshold, blockStatus, anomalyScoring, failOpen, auditAll, limits, strict, bundledRules,
                    ruleFiles, ruleTexts, rules, removeById, removeByTag, extensions, serviceLoader, auditSinks,
                    allowEmptyRuleSet)));
        }

        private static int positive(String name, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + v);
            }
            return v;
        }
    }
}

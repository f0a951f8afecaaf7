package dev.bulwark.waf.rule;

import dev.bulwark.waf.Phase;
import dev.bulwark.waf.Severity;
import dev.bulwark.waf.spi.Operator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One rule as data: targets, transformation chain, operator, and actions. Rules are immutable;
 * build them with {@link #builder(long)} or load them from YAML. A rule may carry a
 * {@linkplain #chain() chained rule} that must also match, and a rule set may hold
 * {@linkplain #marker(String) markers} that {@code skipAfter} jumps to.
 *
 * <p>The model follows ModSecurity's so that the OWASP Core Rule Set can be expressed in it.
 */
public final class Rule {

    /** The disruptive action of a rule. */
    public enum Action {
        /** None given: the rule only logs and runs its non-disruptive actions. */
        NONE,
        /** Continue (explicit). */
        PASS,
        /** Use the rule set's default: in anomaly-scoring mode add the severity score, otherwise deny. */
        BLOCK,
        /** Stop and answer with {@link #status()} (403 by default). */
        DENY,
        /** Close the connection. */
        DROP,
        /** Stop evaluating rules for the rest of the transaction and let it through. */
        ALLOW,
        /** Stop evaluating rules for the current phase only. */
        ALLOW_PHASE,
        /** Stop evaluating rules for the request phases only. */
        ALLOW_REQUEST,
        /** Answer with a redirect to {@link #redirectUrl()}. */
        REDIRECT
    }

    private final long id;
    private final String marker;
    private final Phase phase;
    private final List<Target> targets;
    private final List<String> transformations;
    private final String operatorName;
    private final String operatorArgument;
    private final Operator operator;
    private final boolean negated;
    private final Action action;
    private final int status;
    private final String redirectUrl;
    private final String message;
    private final String logData;
    private final Severity severity;
    private final List<String> tags;
    private final int paranoiaLevel;
    private final List<SetVar> setVars;
    private final List<Ctl> ctls;
    private final boolean capture;
    private final boolean multiMatch;
    private final boolean log;
    private final String skipAfter;
    private final int skip;
    private final Rule chain;
    private final String source;

    private Rule(Builder b) {
        this.id = b.id;
        this.marker = b.marker;
        this.phase = b.phase;
        this.targets = List.copyOf(b.targets);
        this.transformations = List.copyOf(b.transformations);
        this.operatorName = b.operatorName;
        this.operatorArgument = b.operatorArgument;
        this.operator = b.operator;
        this.negated = b.negated;
        this.action = b.action;
        this.status = b.status;
        this.redirectUrl = b.redirectUrl;
        this.message = b.message;
        this.logData = b.logData;
        this.severity = b.severity;
        this.tags = List.copyOf(b.tags);
        this.paranoiaLevel = b.paranoiaLevel;
        this.setVars = List.copyOf(b.setVars);
        this.ctls = List.copyOf(b.ctls);
        this.capture = b.capture;
        this.multiMatch = b.multiMatch;
        this.log = b.log;
        this.skipAfter = b.skipAfter;
        this.skip = b.skip;
        this.chain = b.chain;
        this.source = b.source;
    }

    /** Starts a rule with the given id (positive; chained rules use 0). */
    public static Builder builder(long id) {
        return new Builder(id);
    }

    /** A marker (a {@code SecMarker}): no condition, a target for {@code skipAfter}. */
    public static Rule marker(String name) {
        Objects.requireNonNull(name, "marker name");
        Builder b = new Builder(0);
        b.marker = name;
        b.operatorName = "unconditionalMatch";
        return new Rule(b);
    }

    /** Returns a builder holding this rule's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.marker = marker;
        b.phase = phase;
        b.targets.addAll(targets);
        b.transformations.addAll(transformations);
        b.operatorName = operatorName;
        b.operatorArgument = operatorArgument;
        b.operator = operator;
        b.negated = negated;
        b.action = action;
        b.status = status;
        b.redirectUrl = redirectUrl;
        b.message = message;
        b.logData = logData;
        b.severity = severity;
        b.tags.addAll(tags);
        b.paranoiaLevel = paranoiaLevel;
        b.setVars.addAll(setVars);
        b.ctls.addAll(ctls);
        b.capture = capture;
        b.multiMatch = multiMatch;
        b.log = log;
        b.skipAfter = skipAfter;
        b.skip = skip;
        b.chain = chain;
        b.source = source;
        return b;
    }

    public long id() { return id; }
    /** The marker name when this entry is a marker, else null. */
    public String markerName() { return marker; }
    public boolean isMarker() { return marker != null; }
    public Phase phase() { return phase; }
    public List<Target> targets() { return targets; }
    /** Transformation names in order; {@code none} clears the ones before it. */
    public List<String> transformations() { return transformations; }
    public String operatorName() { return operatorName; }
    public String operatorArgument() { return operatorArgument; }
    /** An operator instance given in code, used instead of looking up {@link #operatorName()}; or null. */
    public Operator operator() { return operator; }
    public boolean negated() { return negated; }
    public Action action() { return action; }
    /** The status for {@code deny} or {@code redirect}, or 0 for the default. */
    public int status() { return status; }
    public String redirectUrl() { return redirectUrl; }
    public String message() { return message; }
    public String logData() { return logData; }
    public Severity severity() { return severity; }
    public List<String> tags() { return tags; }
    public int paranoiaLevel() { return paranoiaLevel; }
    public List<SetVar> setVars() { return setVars; }
    public List<Ctl> ctls() { return ctls; }
    public boolean capture() { return capture; }
    public boolean multiMatch() { return multiMatch; }
    public boolean log() { return log; }
    public String skipAfter() { return skipAfter; }
    public int skip() { return skip; }
    /** The chained rule that must also match, or null. */
    public Rule chain() { return chain; }
    /** Where the rule was defined (file name), or null. */
    public String source() { return source; }

    @Override
    public String toString() {
        return isMarker() ? "marker " + marker : "rule " + id;
    }

    /** Builds a {@link Rule}. Validation of names happens when the {@code Waf} is built. */
    public static final class Builder {
        private final long id;
        private String marker;
        private Phase phase = Phase.REQUEST_BODY;
        private final List<Target> targets = new ArrayList<>();
        private final List<String> transformations = new ArrayList<>();
        private String operatorName;
        private String operatorArgument = "";
        private Operator operator;
        private boolean negated;
        private Action action = Action.NONE;
        private int status;
        private String redirectUrl;
        private String message = "";
        private String logData = "";
        private Severity severity;
        private final List<String> tags = new ArrayList<>();
        private int paranoiaLevel = 1;
        private final List<SetVar> setVars = new ArrayList<>();
        private final List<Ctl> ctls = new ArrayList<>();
        private boolean capture;
        private boolean multiMatch;
        private boolean log = true;
        private String skipAfter;
        private int skip;
        private Rule chain;
        private String source;

        private Builder(long id) {
            if (id < 0) {
                throw new IllegalArgumentException("rule id must not be negative: " + id);
            }
            this.id = id;
        }

        public Builder phase(Phase phase) { this.phase = Objects.requireNonNull(phase); return this; }
        /** Adds targets in ModSecurity notation, for example {@code "ARGS"}, {@code "!ARGS:pwd"}. */
        public Builder target(String... targets) {
            for (String t : targets) {
                this.targets.add(Target.parse(t));
            }
            return this;
        }
        public Builder target(Target target) { targets.add(Objects.requireNonNull(target)); return this; }
        public Builder transform(String... names) { transformations.addAll(List.of(names)); return this; }
        /** Uses a named operator, for example {@code operator("rx", "(?i)union\\s+select")}. */
        public Builder operator(String name, String argument) {
            this.operatorName = Objects.requireNonNull(name);
            this.operatorArgument = argument == null ? "" : argument;
            this.operator = null;
            return this;
        }
        /** Uses an operator instance (a custom matcher written in Java). */
        public Builder operator(Operator operator) {
            this.operator = Objects.requireNonNull(operator);
            this.operatorName = "custom";
            this.operatorArgument = "";
            return this;
        }
        public Builder negated(boolean negated) { this.negated = negated; return this; }
        public Builder action(Action action) { this.action = Objects.requireNonNull(action); return this; }
        public Builder status(int status) { this.status = status; return this; }
        public Builder redirectUrl(String url) { this.redirectUrl = url; return this; }
        public Builder message(String message) { this.message = message == null ? "" : message; return this; }
        public Builder logData(String logData) { this.logData = logData == null ? "" : logData; return this; }
        public Builder severity(Severity severity) { this.severity = severity; return this; }
        public Builder tag(String... tags) { this.tags.addAll(List.of(tags)); return this; }
        public Builder paranoiaLevel(int level) {
            if (level < 1 || level > 4) {
                throw new IllegalArgumentException("paranoia level must be 1 to 4, got " + level);
            }
            this.paranoiaLevel = level;
            return this;
        }
        public Builder setVar(String setvar) { setVars.add(SetVar.parse(setvar)); return this; }
        public Builder setVar(SetVar setvar) { setVars.add(Objects.requireNonNull(setvar)); return this; }
        public Builder ctl(String ctl) { ctls.add(Ctl.parse(ctl)); return this; }
        public Builder ctl(Ctl ctl) { ctls.add(Objects.requireNonNull(ctl)); return this; }
        public Builder capture(boolean capture) { this.capture = capture; return this; }
        public Builder multiMatch(boolean multiMatch) { this.multiMatch = multiMatch; return this; }
        public Builder log(boolean log) { this.log = log; return this; }
        public Builder skipAfter(String marker) { this.skipAfter = marker; return this; }
        public Builder skip(int count) { this.skip = count; return this; }
        public Builder chain(Rule next) { this.chain = next; return this; }
        public Builder source(String source) { this.source = source; return this; }
        /** Replaces all targets. */
        public Builder clearTargets() { targets.clear(); return this; }

        public Rule build() {
            if (marker == null && operatorName == null) {
                throw new IllegalArgumentException("rule " + id + " has no operator");
            }
            return new Rule(this);
        }
    }
}

package dev.bulwark.waf.internal;

import com.google.re2j.Pattern;
import dev.bulwark.waf.rule.Rule;
import dev.bulwark.waf.rule.Target;
import dev.bulwark.waf.spi.MatchContext;
import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.Transformation;

import java.util.List;

/** A rule resolved against a registry: operator instance, transformation chain, targets. Immutable. */
final class CompiledRule {

    /** A resolved target. */
    static final class CompiledTarget {
        final String collection;
        final String key;
        final Pattern keyPattern;
        /**
         * Slot of the key regex in the per-transaction selector cache (regex selectors such as
         * {@code !REQUEST_COOKIES:/__utm/} repeat across many rules), or -1 for none.
         */
        final int keyRegexSlot;
        final boolean count;
        final String display;
        /**
         * Index of the collection in the per-transaction candidate-union table, or -1 for
         * collections that change while a phase runs (TX, MATCHED_*, DURATION) and are never
         * summarised.
         */
        int collectionId = -1;
        /**
         * Index of this keyed selector (collection plus key or key regex) in the per-transaction
         * selection table, or -1 for targets that select all members or a changing collection.
         */
        int selectionId = -1;
        /** Index of (collection, this rule's chain) in the per-transaction summary table, or -1. */
        int summarySlot = -1;

        CompiledTarget(Target t) {
            this(t, t.keyIsRegex() ? Pattern.compile(t.key(), Pattern.CASE_INSENSITIVE) : null, -1);
        }

        CompiledTarget(Target t, Pattern keyPattern, int keyRegexSlot) {
            this.collection = t.collection();
            this.key = t.keyIsRegex() ? null : t.key();
            this.keyPattern = keyPattern;
            this.keyRegexSlot = keyRegexSlot;
            this.count = t.count();
            this.display = t.toString();
        }

        boolean selectsAll() {
            return key == null && keyPattern == null;
        }

        boolean selects(String name) {
            if (key != null) {
                return name != null && name.equalsIgnoreCase(key);
            }
            if (keyPattern != null) {
                return name != null && keyPattern.matcher(name).find();
            }
            return true;
        }
    }

    final Rule rule;
    /** The id reported for matches: the chain starter's id for chained rules. */
    final long reportId;
    final List<CompiledTarget> targets;
    final List<CompiledTarget> exclusions;
    final Transformation[] transformations;
    /** Number of each chain prefix (index i: the first i+1 steps); the last numbers the whole chain. */
    final int[] prefixIds;
    /** Per step: the number of its transformation function, for the per-transaction memo. */
    final int[] functionIds;
    /** Per step: the {@link CharMask} kinds without which the step changes nothing. */
    final long[] triggers;
    /** Per step: whether it only changes letter case (lowercase, uppercase). */
    final boolean[] caseOnly;
    /**
     * Per step: how the result's character kinds follow from the input's without a pass over
     * the result ({@link CharMask#KEEP_NONE} and friends); {@link CharMask#KEEP_SUBSTRING} also
     * marks a step whose result may use its input's scan.
     */
    final byte[] maskTransfer;
    /**
     * The character kinds with which a value may leave the chain with a different scan: a
     * value whose mask misses them all comes out unchanged or changed in ASCII case only, so
     * its prefilter candidates are the input's (no walk through the steps needed).
     */
    final long touchMask;
    /** Number of the whole transformation chain (0: no transformation), for per-chain tables. */
    final int chainSlot;
    /** Dense number of the whole chain among the engine's rules (set when the rule set is built). */
    int chainId;
    /** A marker (skipAfter target), not a rule. */
    final boolean marker;
    /** Copies of hot rule fields, read for every rule and value without touching {@link Rule}. */
    final boolean negated;
    final boolean multiMatch;
    final CompiledTarget[] targetArray;
    final CompiledTarget[] exclusionArray;
    final Operator operator;
    /** The rule's slot in the regex prefilter, or -1 when not prefiltered. */
    final int prefilterId;
    final CompiledRule chain;
    /**
     * For {@code @validateByteRange}: the character kinds that cannot hold a disallowed byte
     * (a value within them cannot match), or 0 when values must always be checked.
     */
    long byteRangeSafeKinds;
    /** Whether the prefilter holds a literal requirement for this rule's pattern (set once it is built). */
    boolean filtered;
    /**
     * Character-kind clauses every value the pattern may match meets ({@link CharMask#clauses}),
     * or null: a value, or a whole collection, whose masks miss one is ruled out without a scan.
     */
    long[] requiredKinds;
    /**
     * Slot of this rule's target list in the per-transaction gate table, or -1: rules whose every
     * target is a whole summarisable collection share a gate, the union of their summaries, and
     * skip at once when their pattern is not in it.
     */
    int gateSlot = -1;
    /** Index in the phase's rule list to continue at after a skipAfter jump, or -1. */
    int skipAfterIndex = -1;
    final boolean constantMessage;
    final boolean constantLogData;

    CompiledRule(Rule rule, long reportId, List<CompiledTarget> targets, List<CompiledTarget> exclusions,
                 Transformation[] transformations, int[] prefixIds, int[] functionIds, long[] triggers,
                 Operator operator, int prefilterId,
                 CompiledRule chain) {
        this.rule = rule;
        this.reportId = reportId;
        this.targets = targets;
        this.exclusions = exclusions;
        this.transformations = transformations;
        this.prefixIds = prefixIds;
        this.functionIds = functionIds;
        this.triggers = triggers;
        this.caseOnly = new boolean[transformations.length];
        this.maskTransfer = new byte[transformations.length];
        this.chainSlot = transformations.length == 0 ? 0 : prefixIds[transformations.length - 1] + 1;
        this.marker = rule.isMarker();
        this.negated = rule.negated();
        this.multiMatch = rule.multiMatch();
        this.targetArray = targets.toArray(new CompiledTarget[0]);
        this.exclusionArray = exclusions.toArray(new CompiledTarget[0]);
        List<String> names = rule.transformations();
        // The compiled steps are the names after the last "none".
        int offset = names.size() - transformations.length;
        for (int i = 0; i < transformations.length; i++) {
            String n = names.get(offset + i);
            caseOnly[i] = n.equalsIgnoreCase("lowercase") || n.equalsIgnoreCase("uppercase");
            maskTransfer[i] = CharMask.transferOf(n);
        }
        long touch = 0;
        boolean caseStepBefore = false;
        for (int i = 0; i < transformations.length; i++) {
            if (caseOnly[i]) {
                touch |= CharMask.NON_ASCII; // on ASCII text a case change keeps the scan
                caseStepBefore = true;
            } else {
                touch |= triggers[i];
                if (caseStepBefore && (triggers[i] & (CharMask.UPPER | CharMask.LOWER)) != 0) {
                    touch |= CharMask.UPPER | CharMask.LOWER; // a case step may have made it trigger
                }
            }
        }
        this.touchMask = touch;
        this.operator = operator;
        this.prefilterId = prefilterId;
        this.chain = chain;
        this.constantMessage = !MatchContext.hasMacro(rule.message());
        this.constantLogData = !MatchContext.hasMacro(rule.logData());
    }

    @Override
    public String toString() {
        return rule.toString();
    }
}

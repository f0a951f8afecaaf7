package dev.bulwark.waf;

import java.util.List;

/**
 * The decision for a transaction so far. {@link Pass} lets it through; the other kinds interrupt
 * it. Each carries the rule matches that led to it.
 */
public sealed interface Verdict permits Verdict.Pass, Verdict.Deny, Verdict.Drop, Verdict.Redirect {

    /** The matches recorded up to this decision (in order). */
    List<RuleMatch> matches();

    /** Whether the connector must stop the transaction and answer with this verdict. */
    default boolean interrupts() {
        return !(this instanceof Pass);
    }

    /** A pass with no matches. */
    static Verdict pass() {
        return Pass.EMPTY;
    }

    /** Let the transaction through. */
    record Pass(List<RuleMatch> matches) implements Verdict {
        static final Pass EMPTY = new Pass(List.of());

        public Pass {
            matches = List.copyOf(matches);
        }
    }

    /**
     * Answer with an error status (403 by default) instead of forwarding.
     *
     * @param status the HTTP status to send
     * @param ruleId the rule that decided (0 when the decision came from a limit or the scoring)
     * @param reason a short human-readable reason (never shown to the client)
     */
    record Deny(int status, long ruleId, String reason, List<RuleMatch> matches) implements Verdict {
        public Deny {
            matches = List.copyOf(matches);
        }
    }

    /** Close the connection without an answer. */
    record Drop(long ruleId, List<RuleMatch> matches) implements Verdict {
        public Drop {
            matches = List.copyOf(matches);
        }
    }

    /** Answer with a redirect (302 unless the rule set a 3xx status) to {@code location}. */
    record Redirect(int status, String location, long ruleId, List<RuleMatch> matches) implements Verdict {
        public Redirect {
            matches = List.copyOf(matches);
        }
    }
}

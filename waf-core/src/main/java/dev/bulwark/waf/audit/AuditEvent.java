package dev.bulwark.waf.audit;

import dev.bulwark.waf.RuleMatch;

import java.time.Instant;
import java.util.List;

/**
 * What the engine decided for one transaction, ready to be written as one JSON line. Matched
 * values are truncated and have secrets masked before they get here.
 *
 * @param timestamp when the transaction finished
 * @param transactionId the transaction (request) id
 * @param clientAddress the client's IP address
 * @param method the request method
 * @param uri the raw request URI
 * @param mode the engine mode ({@code ON}, {@code DETECTION_ONLY})
 * @param action what happened: {@code pass}, {@code deny}, {@code drop}, {@code redirect}, or
 *     {@code detected} (would have been interrupted in detection-only mode)
 * @param status the status the client got (or would have got), 0 if unknown
 * @param ruleId the rule that decided, 0 if none
 * @param inboundScore the inbound anomaly score
 * @param outboundScore the outbound anomaly score
 * @param matches every rule match
 * @param durationMicros time spent in the engine
 * @param reason why the engine denied without a rule (a limit, strict validation), else null;
 *     fixed text, never request content
 */
public record AuditEvent(Instant timestamp, String transactionId, String clientAddress, String method, String uri,
                         String mode, String action, int status, long ruleId, int inboundScore, int outboundScore,
                         List<RuleMatch> matches, long durationMicros, String reason) {

    public AuditEvent {
        matches = List.copyOf(matches);
    }

    /** An event without a reason. */
    public AuditEvent(Instant timestamp, String transactionId, String clientAddress, String method, String uri,
                      String mode, String action, int status, long ruleId, int inboundScore, int outboundScore,
                      List<RuleMatch> matches, long durationMicros) {
        this(timestamp, transactionId, clientAddress, method, uri, mode, action, status, ruleId, inboundScore,
                outboundScore, matches, durationMicros, null);
    }
}

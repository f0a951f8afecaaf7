package dev.bulwark.waf.audit;

/**
 * Receives one {@link AuditEvent} per finished transaction that matched a rule or was
 * interrupted (and per transaction when {@code audit: all} is configured). Called from request
 * threads: implementations must be thread-safe and must not block for long.
 */
@FunctionalInterface
public interface AuditSink {

    void accept(AuditEvent event);

    /** A sink that drops everything. */
    static AuditSink none() {
        return event -> { };
    }
}

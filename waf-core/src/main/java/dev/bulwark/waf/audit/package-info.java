/**
 * Audit events (one per finished transaction with a match or a decision) and sinks, including
 * the JSON Lines writer. Sinks are called from request threads and must be thread-safe.
 */
package dev.bulwark.waf.audit;

/**
 * The engine's implementation: rule compilation, the per-request transaction state machine,
 * transformation and prefilter caches, secret masking. Not an API: types here may change in any
 * release. The compiled {@code Engine} is immutable and thread-safe; an
 * {@code EngineTransaction} belongs to one request.
 */
package dev.bulwark.waf.internal;

/**
 * Bulwark's public engine API: build one immutable, thread-safe {@link dev.bulwark.waf.Waf}
 * (from a YAML/JSON configuration or the builder), then drive one
 * {@link dev.bulwark.waf.Transaction} per request through the phases and act on its
 * {@link dev.bulwark.waf.Verdict}. Transactions are not thread-safe; everything else here is
 * immutable.
 */
package dev.bulwark.waf;

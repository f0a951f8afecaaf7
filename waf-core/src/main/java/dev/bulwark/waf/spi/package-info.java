/**
 * Extension points: custom {@link dev.bulwark.waf.spi.Operator operators},
 * {@link dev.bulwark.waf.spi.Transformation transformations} and rules, registered by a
 * {@link dev.bulwark.waf.spi.WafExtension} found with {@link java.util.ServiceLoader} or passed
 * to the builder. The built-in operators and transformations use the same interfaces.
 * Implementations are shared by all transactions and must be thread-safe and linear-time.
 */
package dev.bulwark.waf.spi;

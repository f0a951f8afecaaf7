/**
 * The bundled Bulwark rule set: {@link dev.bulwark.waf.rules.BundledRules} names the class-path
 * resources (YAML rule files and phrase lists under {@code bulwark/rules/}) that
 * {@code Waf.builder().bundledRules()} loads. Constants only; thread-safe.
 */
package dev.bulwark.waf.rules;

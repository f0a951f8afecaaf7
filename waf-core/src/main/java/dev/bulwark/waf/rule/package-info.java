/**
 * The rule model as data: {@link dev.bulwark.waf.rule.Rule} (targets, transformation chain,
 * operator, actions, chained rule), {@link dev.bulwark.waf.rule.Target},
 * {@link dev.bulwark.waf.rule.SetVar} and {@link dev.bulwark.waf.rule.Ctl}. It follows
 * ModSecurity's model closely enough to express the OWASP Core Rule Set. All types are immutable
 * (builders are not thread-safe).
 */
package dev.bulwark.waf.rule;

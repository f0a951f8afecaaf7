/**
 * Runnable examples: {@link dev.bulwark.examples.ServletAppExample} (the filter in an embedded
 * Jetty application) and {@link dev.bulwark.examples.CustomRuleExtension} (a custom operator and
 * a rule written in Java, discovered through {@link java.util.ServiceLoader}).
 *
 * <p>Thread-safety: the extension and its operator are stateless and shared by all
 * transactions; the example application is started once from {@code main}.
 */
package dev.bulwark.examples;

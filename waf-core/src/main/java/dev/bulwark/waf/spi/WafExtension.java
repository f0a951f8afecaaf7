package dev.bulwark.waf.spi;

/**
 * A plug-in that adds operators, transformations, rules or audit sinks to a {@code Waf}.
 * Discovered with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.bulwark.waf.spi.WafExtension}) or passed to
 * {@code Waf.builder().extension(...)}. The built-in operators and transformations are
 * registered through this same interface.
 */
public interface WafExtension {

    /** A short unique name, used in error messages. */
    String name();

    /** Registers this extension's parts. Called once per {@code Waf} being built. */
    void register(ExtensionRegistry registry);
}

package dev.bulwark.waf.spi;

import dev.bulwark.waf.rule.Rule;

/**
 * Where a {@link WafExtension} registers its parts. Names are case-insensitive; registering a
 * name that is already taken fails the build of the {@code Waf} with a clear message.
 */
public interface ExtensionRegistry {

    /** Registers an operator usable in rules as {@code @name argument}. */
    ExtensionRegistry operator(String name, OperatorFactory factory);

    /** Registers a transformation usable in rules as {@code t:name}. */
    ExtensionRegistry transformation(String name, Transformation transformation);

    /** Adds a rule built in code (for example one whose operator is a Java class). */
    ExtensionRegistry rule(Rule rule);
}

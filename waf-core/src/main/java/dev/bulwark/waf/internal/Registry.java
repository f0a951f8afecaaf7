package dev.bulwark.waf.internal;

import dev.bulwark.waf.rule.Rule;
import dev.bulwark.waf.spi.ExtensionRegistry;
import dev.bulwark.waf.spi.OperatorFactory;
import dev.bulwark.waf.spi.Transformation;
import dev.bulwark.waf.spi.WafExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Operators, transformations and code-built rules of one {@code Waf} being built. Names are
 * case-insensitive; a name registered twice fails the build, naming both extensions.
 */
final class Registry implements ExtensionRegistry {

    private final Map<String, OperatorFactory> operators = new HashMap<>();
    private final Map<String, String> operatorOwners = new HashMap<>();
    private final Map<String, Transformation> transformations = new HashMap<>();
    private final Map<String, String> transformationOwners = new HashMap<>();
    private final List<Rule> rules = new ArrayList<>();
    private String current = "builtin";

    void install(WafExtension extension) {
        current = extension.name();
        try {
            extension.register(this);
        } finally {
            current = "builtin";
        }
    }

    void installBuiltins(String owner, Map<String, OperatorFactory> ops, Map<String, Transformation> ts) {
        current = owner;
        ops.forEach(this::operator);
        ts.forEach(this::transformation);
        current = "builtin";
    }

    @Override
    public ExtensionRegistry operator(String name, OperatorFactory factory) {
        Objects.requireNonNull(factory, "factory");
        String key = key(name);
        String owner = operatorOwners.putIfAbsent(key, current);
        if (owner != null) {
            // An alias pointing to the same factory within one owner is harmless.
            if (owner.equals(current) && operators.get(key) == factory) {
                return this;
            }
            throw new IllegalStateException("operator '" + name + "' is registered twice (by " + owner + " and " + current + ")");
        }
        operators.put(key, factory);
        return this;
    }

    @Override
    public ExtensionRegistry transformation(String name, Transformation transformation) {
        Objects.requireNonNull(transformation, "transformation");
        String key = key(name);
        String owner = transformationOwners.putIfAbsent(key, current);
        if (owner != null) {
            if (owner.equals(current) && transformations.get(key) == transformation) {
                return this;
            }
            throw new IllegalStateException("transformation '" + name + "' is registered twice (by " + owner + " and " + current + ")");
        }
        transformations.put(key, transformation);
        return this;
    }

    @Override
    public ExtensionRegistry rule(Rule rule) {
        rules.add(Objects.requireNonNull(rule, "rule"));
        return this;
    }

    OperatorFactory operator(String name) {
        return operators.get(key(name));
    }

    Transformation transformation(String name) {
        return transformations.get(key(name));
    }

    List<Rule> rules() {
        return rules;
    }

    private static String key(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return name.trim().toLowerCase(Locale.ROOT);
    }
}

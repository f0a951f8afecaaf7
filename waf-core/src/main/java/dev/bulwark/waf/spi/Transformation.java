package dev.bulwark.waf.spi;

/**
 * A pure function that normalizes a value before an operator sees it (for example URL decoding
 * or lowercasing). Implementations must be stateless, thread-safe, linear in the input length,
 * and never throw on malformed input: invalid encodings are left as they are.
 */
@FunctionalInterface
public interface Transformation {

    /** Returns the transformed value; returns {@code input} itself when nothing changes. */
    String apply(String input);
}

package dev.bulwark.waf.request;

import dev.bulwark.waf.Limits;

/**
 * Bounds applied while parsing one request body. Exceeding any of them sets
 * {@link ParsedBody#limitExceeded()}, so that what was not inspected is never passed silently.
 *
 * @param maxArgs       most values a body may produce (args plus XML values); parsing stops there
 * @param maxDepth      deepest JSON/XML nesting; a deeper document stops parsing with an error
 * @param maxParts      most multipart parts; parsing stops past it
 * @param maxNameLength longest argument name kept: longer names (form fields, flattened JSON/XML
 *                      paths) are cut to this many chars so that deep paths with long keys
 *                      cannot make output quadratic
 */
public record BodyLimits(int maxArgs, int maxDepth, int maxParts, int maxNameLength) {

    /** Validates that every bound is positive. */
    public BodyLimits {
        positive("maxArgs", maxArgs);
        positive("maxDepth", maxDepth);
        positive("maxParts", maxParts);
        positive("maxNameLength", maxNameLength);
    }

    /** 1000 args, depth 64, 200 parts, names up to 4096 chars (matching {@link Limits#defaults()}). */
    public static BodyLimits defaults() {
        return new BodyLimits(1000, 64, 200, 4096);
    }

    /** The body limits implied by the engine-wide {@link Limits}. */
    public static BodyLimits from(Limits limits) {
        return new BodyLimits(limits.maxArgs(), limits.maxJsonDepth(), limits.maxMultipartParts(),
                defaults().maxNameLength());
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }
}

package dev.bulwark.waf.request;
public record BodyLimits(int maxArgs, int maxDepth, int maxParts) { public static BodyLimits defaults() { return new BodyLimits(1000, 64, 200); } }

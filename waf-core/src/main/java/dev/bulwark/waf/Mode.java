package dev.bulwark.waf;

/** What the engine does with its findings. */
public enum Mode {
    /** Rules run and disruptive actions are enforced. */
    ON,
    /** Rules run, matches and would-be decisions are logged, but nothing is blocked. */
    DETECTION_ONLY,
    /** No rule runs; every transaction passes. */
    OFF;

    /** Parses {@code On}, {@code DetectionOnly}, {@code detection-only}, {@code off}, ... */
    public static Mode parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "");
        switch (t) {
            case "on": return ON;
            case "detectiononly": case "detect": case "monitor": return DETECTION_ONLY;
            case "off": return OFF;
            default: throw new IllegalArgumentException("unknown mode '" + text + "' (expected On, DetectionOnly or Off)");
        }
    }
}

package dev.bulwark.waf;

import java.util.Locale;

/**
 * Rule severity, with the syslog numbering used by ModSecurity. In anomaly scoring mode a match
 * adds {@link #score()} to the inbound or outbound anomaly score.
 */
public enum Severity {
    EMERGENCY(0, 5), ALERT(1, 5), CRITICAL(2, 5), ERROR(3, 4), WARNING(4, 3), NOTICE(5, 2), INFO(6, 0), DEBUG(7, 0);

    private final int level;
    private final int score;

    Severity(int level, int score) {
        this.level = level;
        this.score = score;
    }

    /** Syslog level, 0 (emergency) to 7 (debug). */
    public int level() {
        return level;
    }

    /** Default anomaly score contributed by a match (CRITICAL 5, ERROR 4, WARNING 3, NOTICE 2). */
    public int score() {
        return score;
    }

    /** Parses a name ({@code CRITICAL}, case-insensitive) or a syslog number. */
    public static Severity parse(String text) {
        String t = text.trim();
        if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
            int n = Integer.parseInt(t);
            for (Severity s : values()) {
                if (s.level == n) {
                    return s;
                }
            }
            throw new IllegalArgumentException("severity must be 0 to 7, got " + t);
        }
        try {
            return valueOf(t.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown severity '" + text + "'");
        }
    }
}

package dev.bulwark.waf.servlet;

/**
 * Makes request data safe to put in a log line: control characters (CR and LF that would forge
 * log entries, ESC sequences that would drive a terminal) become visible escapes, and long values
 * are cut, since the client chooses them.
 */
final class LogText {

    /** Longest request-derived value written to one log line. */
    static final int MAX = 512;

    private LogText() {
    }

    /** {@code s} with {@code \r}, {@code \n}, {@code \t}, other C0/C1 controls and DEL escaped; "null" for null. */
    static String escape(String s) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), MAX);
        StringBuilder b = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\\'
                    || c == '\u2028' || c == '\u2029';
            if (control && b == null) {
                b = new StringBuilder(n + 16).append(s, 0, i);
            }
            if (b != null) {
                if (!control) {
                    b.append(c);
                } else if (c == '\r') {
                    b.append("\\r");
                } else if (c == '\n') {
                    b.append("\\n");
                } else if (c == '\t') {
                    b.append("\\t");
                } else if (c == '\\') {
                    b.append("\\\\");
                } else {
                    b.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        String out = b == null ? s.substring(0, n) : b.toString();
        return s.length() > MAX ? out + "...(" + s.length() + " chars)" : out;
    }
}

package dev.bulwark.waf;

/** The five processing phases of a transaction, numbered as in ModSecurity and the OWASP CRS. */
public enum Phase {
    REQUEST_HEADERS(1),
    REQUEST_BODY(2),
    RESPONSE_HEADERS(3),
    RESPONSE_BODY(4),
    LOGGING(5);

    private final int number;

    Phase(int number) {
        this.number = number;
    }

    /** The phase number, 1 to 5. */
    public int number() {
        return number;
    }

    /** Whether this phase looks at the request (1, 2) rather than the response. */
    public boolean inbound() {
        return number <= 2;
    }

    /** The phase with the given number, or {@code request}/{@code response}/{@code logging} aliases. */
    public static Phase of(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "request": return REQUEST_BODY;
            case "response": return RESPONSE_BODY;
            case "logging": return LOGGING;
            default:
                try {
                    return of(Integer.parseInt(t));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("unknown phase '" + text + "'");
                }
        }
    }

    /** The phase with the given number (1 to 5). */
    public static Phase of(int number) {
        for (Phase p : values()) {
            if (p.number == number) {
                return p;
            }
        }
        throw new IllegalArgumentException("phase must be 1 to 5, got " + number);
    }
}

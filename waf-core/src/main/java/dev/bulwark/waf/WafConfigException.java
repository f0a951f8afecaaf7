package dev.bulwark.waf;

/**
 * A configuration or rule set that cannot be loaded. The message names the source file, the rule
 * id and the field where known, and the reason; no partially loaded rule set is ever returned.
 */
public final class WafConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String ruleId;
    private final String field;
    private final String reason;

    public WafConfigException(String source, String ruleId, String field, String reason) {
        this(source, ruleId, field, reason, null);
    }

    public WafConfigException(String source, String ruleId, String field, String reason, Throwable cause) {
        super(format(source, ruleId, field, reason), cause);
        this.source = source;
        this.ruleId = ruleId;
        this.field = field;
        this.reason = reason;
    }

    /** The file or resource the error is in, or null. */
    public String source() {
        return source;
    }

    /** The id of the rule at fault, or null. */
    public String ruleId() {
        return ruleId;
    }

    /** The field at fault (such as {@code operator}), or null. */
    public String field() {
        return field;
    }

    /** Why it failed. */
    public String reason() {
        return reason;
    }

    private static String format(String source, String ruleId, String field, String reason) {
        StringBuilder sb = new StringBuilder();
        if (source != null) {
            sb.append(source);
        }
        if (ruleId != null) {
            sb.append(sb.length() > 0 ? ": " : "").append("rule ").append(ruleId);
        }
        if (field != null) {
            sb.append(sb.length() > 0 ? ": " : "").append("field '").append(field).append('\'');
        }
        sb.append(sb.length() > 0 ? ": " : "").append(reason);
        return sb.toString();
    }
}

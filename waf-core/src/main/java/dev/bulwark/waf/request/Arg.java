package dev.bulwark.waf.request;

import java.util.Objects;

/**
 * One decoded name/value argument (a form field, a query parameter, a flattened JSON value or an
 * XML text/attribute value).
 *
 * @param name  the decoded name, never null (may be empty)
 * @param value the decoded value, never null (empty when the source had none)
 */
public record Arg(String name, String value) {

    /** Rejects nulls so consumers never need to check. */
    public Arg {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}

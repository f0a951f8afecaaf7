package dev.bulwark.waf.request;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The immutable result of parsing one request body.
 *
 * <p>Argument naming:
 * <ul>
 *   <li>URL-encoded and multipart: the decoded field names.</li>
 *   <li>JSON: the dotted path from the root named {@code json}: {@code {"user":{"name":"x"}}} gives
 *       {@code json.user.name}, array elements use their index ({@code json.items.0.id}), a
 *       top-level array gives {@code json.0}, a top-level scalar gives {@code json}. Strings are
 *       their text, numbers their literal text, booleans {@code true}/{@code false}, null
 *       {@code ""}. An empty object or array yields its own path with value {@code ""} so that
 *       its key is still visible to rules on {@code ARGS_NAMES}.</li>
 *   <li>XML ({@link #xml()} only, not {@link #args()}): text content under the element path
 *       {@code /root/child/leaf}, attributes as {@code /root/child/@attr} (qualified names keep
 *       their prefix), the raw DOCTYPE declaration as {@code !doctype}.</li>
 * </ul>
 * Names longer than {@link BodyLimits#maxNameLength()} are cut to that length and set
 * {@link #limitExceeded()}.
 *
 * <p>Multipart anomalies are reported in {@link #multipartFlags()} using the names of the
 * corresponding ModSecurity variables where one exists (the {@code FLAG_*} constants).
 */
public final class ParsedBody {

    /** Boundary parameter was quoted in the Content-Type. */
    public static final String FLAG_BOUNDARY_QUOTED = "MULTIPART_BOUNDARY_QUOTED";
    /** Whitespace around or inside the boundary parameter. */
    public static final String FLAG_BOUNDARY_WHITESPACE = "MULTIPART_BOUNDARY_WHITESPACE";
    /** Content-Type had no boundary parameter, or the boundary never occurs in the body. */
    public static final String FLAG_BOUNDARY_MISSING = "MULTIPART_BOUNDARY_MISSING";
    /** Several boundary parameters, an empty one, or one with control/non-ASCII/quote chars. */
    public static final String FLAG_BOUNDARY_INVALID = "MULTIPART_BOUNDARY_INVALID";
    /** Non-empty data before the first boundary. */
    public static final String FLAG_DATA_BEFORE = "MULTIPART_DATA_BEFORE";
    /** Data after the final boundary. */
    public static final String FLAG_DATA_AFTER = "MULTIPART_DATA_AFTER";
    /** The body ended without the closing {@code --boundary--}. */
    public static final String FLAG_FINAL_BOUNDARY_MISSING = "MULTIPART_FINAL_BOUNDARY_MISSING";
    /** A part header was folded onto several lines. */
    public static final String FLAG_HEADER_FOLDING = "MULTIPART_HEADER_FOLDING";
    /** A folded continuation line with no header before it. */
    public static final String FLAG_INVALID_HEADER_FOLDING = "MULTIPART_INVALID_HEADER_FOLDING";
    /** A line ended with a bare LF instead of CRLF. */
    public static final String FLAG_LF_LINE = "MULTIPART_LF_LINE";
    /** Both CRLF and bare LF line ends were seen. */
    public static final String FLAG_CRLF_LF_LINES = "MULTIPART_CRLF_LF_LINES";
    /** Content-Disposition parameters not separated by a semicolon. */
    public static final String FLAG_MISSING_SEMICOLON = "MULTIPART_MISSING_SEMICOLON";
    /** Odd quoting in Content-Disposition or the boundary (single quotes, unterminated quotes). */
    public static final String FLAG_INVALID_QUOTING = "MULTIPART_INVALID_QUOTING";
    /** A malformed part: bad header line, missing/odd Content-Disposition, no header end. */
    public static final String FLAG_INVALID_PART = "MULTIPART_INVALID_PART";
    /** A line that starts with the delimiter but is not a valid delimiter line. */
    public static final String FLAG_UNMATCHED_BOUNDARY = "MULTIPART_UNMATCHED_BOUNDARY";
    /**
     * A Content-Disposition parameter other than {@code name} and {@code filename} (RFC 7578
     * defines no other; {@code name*}/{@code filename*} are forbidden by its section 4.2 yet some
     * frameworks read them), or one written with whitespace around its {@code =}. Bulwark's own.
     */
    public static final String FLAG_INVALID_PARAMETER = "MULTIPART_INVALID_PARAMETER";
    /** Whitespace after a delimiter (RFC 2046 transport padding), which parsers treat differently. Bulwark's own. */
    public static final String FLAG_TRANSPORT_PADDING = "MULTIPART_TRANSPORT_PADDING";

    private final BodyProcessor processor;
    private final List<Arg> args;
    private final List<UploadedFile> files;
    private final List<String> partHeaders;
    private final List<Arg> xml;
    private final String error;
    private final boolean limitExceeded;
    private final Set<String> multipartFlags;
    private final boolean hasDoctype;

    private ParsedBody(Builder b) {
        this.processor = b.processor;
        this.args = List.copyOf(b.args);
        this.files = List.copyOf(b.files);
        this.partHeaders = List.copyOf(b.partHeaders);
        this.xml = List.copyOf(b.xml);
        this.error = b.error;
        this.limitExceeded = b.limitExceeded;
        this.multipartFlags = Collections.unmodifiableSet(new TreeSet<>(b.flags));
        this.hasDoctype = b.hasDoctype;
    }

    /** An empty result for {@code processor} (nothing parsed, no error). */
    public static ParsedBody empty(BodyProcessor processor) {
        return new Builder(processor, BodyLimits.defaults()).build();
    }

    /** The processor that produced this result. */
    public BodyProcessor processor() {
        return processor;
    }

    /** Body arguments ({@code ARGS_POST}) in body order; empty for XML. */
    public List<Arg> args() {
        return args;
    }

    /** Multipart file parts in body order. */
    public List<UploadedFile> files() {
        return files;
    }

    /** Every multipart part header as {@code "Name: value"} (folded headers unfolded). */
    public List<String> partHeaders() {
        return partHeaders;
    }

    /** XML text and attribute values in document order (see the class comment for names). */
    public List<Arg> xml() {
        return xml;
    }

    /** Null when the body parsed cleanly, else a short description of the first problem. */
    public String error() {
        return error;
    }

    /** Whether a {@link BodyLimits} bound stopped parsing (later content was not inspected). */
    public boolean limitExceeded() {
        return limitExceeded;
    }

    /** Whether any multipart anomaly was seen ({@code MULTIPART_STRICT_ERROR}). */
    public boolean multipartStrictError() {
        return !multipartFlags.isEmpty();
    }

    /** The names of the multipart anomalies seen (the {@code FLAG_*} constants), sorted. */
    public Set<String> multipartFlags() {
        return multipartFlags;
    }

    /** Whether an XML body carried a DOCTYPE declaration (never resolved; a common XXE sign). */
    public boolean hasDoctype() {
        return hasDoctype;
    }

    @Override
    public String toString() {
        return "ParsedBody{" + processor + ", args=" + args.size() + ", files=" + files.size()
                + ", xml=" + xml.size() + ", error=" + error + ", limitExceeded=" + limitExceeded
                + ", flags=" + multipartFlags + ", doctype=" + hasDoctype + '}';
    }

    /** Mutable accumulator used by the parsers; one per parse, never shared. */
    static final class Builder {
        final BodyProcessor processor;
        final BodyLimits limits;
        final List<Arg> args = new ArrayList<>();
        final List<UploadedFile> files = new ArrayList<>();
        final List<String> partHeaders = new ArrayList<>();
        final List<Arg> xml = new ArrayList<>();
        final Set<String> flags = new TreeSet<>();
        String error;
        boolean limitExceeded;
        boolean hasDoctype;
        /** Non-null when the caller wants every multipart part as a slice of the body. */
        List<MultipartParts.Part> slices;

        Builder(BodyProcessor processor, BodyLimits limits) {
            this.processor = processor;
            this.limits = limits;
        }

        /** Records the first error only: later ones are usually consequences of it. */
        void error(String message) {
            if (error == null) {
                error = message;
            }
        }

        void flag(String name) {
            flags.add(name);
        }

        /** Flags an anomaly that also makes the body invalid. */
        void flagError(String name, String message) {
            flags.add(name);
            error(message);
        }

        private boolean roomForValue() {
            if (args.size() + xml.size() >= limits.maxArgs()) {
                limitExceeded = true;
                return false;
            }
            return true;
        }

        /** Adds an arg; false (and limitExceeded) when maxArgs is reached, then stop parsing. */
        boolean arg(String name, String value) {
            if (!roomForValue()) {
                return false;
            }
            args.add(new Arg(cut(name), value));
            return true;
        }

        /** Adds an XML value; false (and limitExceeded) when maxArgs is reached. */
        boolean xml(String name, String value) {
            if (!roomForValue()) {
                return false;
            }
            xml.add(new Arg(cut(name), value));
            return true;
        }

        /**
         * The name capped at maxNameLength; copies only the kept chars (paths can be long). A cut
         * sets limitExceeded: the application sees the whole name, rules only the kept part.
         */
        String cut(CharSequence name) {
            int keep = Math.min(name.length(), limits.maxNameLength());
            if (keep == name.length()) {
                return name.toString();
            }
            limitExceeded = true;
            return name.subSequence(0, keep).toString();
        }

        ParsedBody build() {
            return new ParsedBody(this);
        }
    }
}

package dev.bulwark.waf.internal;

import dev.bulwark.waf.StrictParsing;
import dev.bulwark.waf.internal.EngineTransaction.KV;
import dev.bulwark.waf.request.ParsedBody;

import java.util.List;
import java.util.function.Predicate;

/**
 * Strict request validation (see {@link StrictParsing}): finds what makes the WAF unsure how the
 * application will read a request. Each check returns a short reason for the audit log (never
 * request text) or null. Internal.
 */
final class StrictValidator {

    /**
     * Multipart anomalies that mean two parsers may read different fields. Not listed:
     * {@link ParsedBody#FLAG_BOUNDARY_QUOTED}, a quoted boundary is RFC-conformant and what .NET
     * clients send. A test keeps this list complete.
     */
    static final List<String> MULTIPART_FLAGS = List.of(
            ParsedBody.FLAG_BOUNDARY_WHITESPACE,     // "boundary = x": trimmed by some, not others
            ParsedBody.FLAG_BOUNDARY_MISSING,        // nothing parsed, nothing inspected
            ParsedBody.FLAG_BOUNDARY_INVALID,        // not RFC 2046: parsers give up or go on differently
            ParsedBody.FLAG_DATA_BEFORE,             // a preamble can hide a part from a parser that misses the first delimiter
            ParsedBody.FLAG_DATA_AFTER,              // "--b--junk" is not a close delimiter for every parser
            ParsedBody.FLAG_FINAL_BOUNDARY_MISSING,  // truncated: parsers keep or drop the last part
            ParsedBody.FLAG_HEADER_FOLDING,          // obsolete folding: unfolded by some, a new header for others
            ParsedBody.FLAG_INVALID_HEADER_FOLDING,
            ParsedBody.FLAG_LF_LINE,                 // bare LF: Werkzeug and Jetty split lines differently
            ParsedBody.FLAG_CRLF_LF_LINES,
            ParsedBody.FLAG_MISSING_SEMICOLON,       // "name=a filename=b": one parameter or two
            ParsedBody.FLAG_INVALID_QUOTING,         // quotes/escapes: another name after unquoting
            ParsedBody.FLAG_INVALID_PART,            // attachment, no or repeated disposition, no name: dropped here, read there
            ParsedBody.FLAG_UNMATCHED_BOUNDARY,      // "--boundaryX": a delimiter for a prefix-matching parser
            ParsedBody.FLAG_INVALID_PARAMETER,       // name*= (Flask reads it), unknown or spaced parameters
            ParsedBody.FLAG_TRANSPORT_PADDING);      // "--b  ": a delimiter for some parsers only

    private StrictValidator() {
    }

    /** Phase 1: the request line and the headers that frame and type the body. */
    static String checkRequest(StrictParsing cfg, String method, String target, String protocol, List<KV> headers) {
        String why = StrictTarget.check(cfg, method, target, protocol);
        return why != null ? why : checkHeaders(cfg, headers);
    }

    static String checkHeaders(StrictParsing cfg, List<KV> headers) {
        String contentType = null;
        int types = 0;
        int lengths = 0;
        int encodings = 0;
        int transferEncodings = 0;
        for (KV h : headers) {
            // equalsIgnoreCase, no copy per header: it also folds a few non-ASCII letters, which
            // can only make more headers count here (and HTTP parsers refuse such names anyway).
            String name = h.key();
            if (name.equalsIgnoreCase("content-type")) {
                types++;
                contentType = h.value();
            } else if (name.equalsIgnoreCase("content-length")) {
                lengths++;
                if (!digits(h.value().trim())) {
                    return "Content-Length is not a number";
                }
            } else if (name.equalsIgnoreCase("content-encoding")) {
                encodings++;
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                transferEncodings++;
            }
        }
        // Of repeated framing headers some servers read the first, others the last.
        if (types > 1) {
            return "repeated Content-Type header";
        }
        if (lengths > 1) {
            return "repeated Content-Length header";
        }
        if (encodings > 1) {
            return "repeated Content-Encoding header";
        }
        if (transferEncodings > 0 && lengths > 0) {
            return "Transfer-Encoding with Content-Length";
        }
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        MediaType mt = MediaType.parse(contentType);
        if (mt.error() != null) {
            return mt.error();
        }
        String charset = mt.params().get("charset");
        if (charset != null && !cfg.charsetAllowed(charset)) {
            return "charset not allowed";
        }
        return null;
    }

    /**
     * Phase 2, after parsing: multipart anomalies ({@code flagged} says which variables are
     * set; {@code truncated}: only a prefix of the body was parsed), part Content-Types (a strict
     * media type whose only parameter may be an allowed charset) and {@code _charset_} fields,
     * which the application may use to decode the values the WAF decoded as UTF-8.
     */
    static String checkBody(StrictParsing cfg, Predicate<String> flagged, List<KV> partHeaders, List<KV> args,
                            boolean truncated) {
        for (String f : MULTIPART_FLAGS) {
            // A body cut at the inspection limit (inspect-partial) has no closing delimiter of course.
            if (flagged.test(f) && !(truncated && f.equals(ParsedBody.FLAG_FINAL_BOUNDARY_MISSING))) {
                return "multipart body not strictly well-formed (" + f + ")";
            }
        }
        for (KV h : partHeaders) {
            String line = h.value();
            int colon = line.indexOf(':');
            if (colon > 0 && MediaType.lower(line.substring(0, colon).trim()).equals("content-type")) {
                MediaType mt = MediaType.parse(line.substring(colon + 1));
                if (mt.error() != null) {
                    return "multipart part " + mt.error();
                }
                for (String param : mt.params().keySet()) {
                    // Browsers send no parameters here and other clients only a charset; any
                    // other one (name=, x="' OR 1=1--") is read by some parsers and apps, not others.
                    if (!param.equals("charset")) {
                        return "multipart part Content-Type parameter other than charset";
                    }
                }
                String charset = mt.params().get("charset");
                if (charset != null && !cfg.charsetAllowed(charset)) {
                    return "multipart part charset not allowed";
                }
            }
        }
        for (KV a : args) {
            if ("_charset_".equals(a.key()) && !cfg.charsetAllowed(a.value().trim())) {
                return "_charset_ field names a charset not allowed";
            }
        }
        return null;
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

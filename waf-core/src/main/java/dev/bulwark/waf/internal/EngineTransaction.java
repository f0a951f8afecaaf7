package dev.bulwark.waf.internal;

import dev.bulwark.waf.Limits;
import dev.bulwark.waf.Mode;
import dev.bulwark.waf.Phase;
import dev.bulwark.waf.RuleMatch;
import dev.bulwark.waf.Severity;
import dev.bulwark.waf.StrictParsing;
import dev.bulwark.waf.Transaction;
import dev.bulwark.waf.Verdict;
import dev.bulwark.waf.audit.AuditEvent;
import dev.bulwark.waf.audit.AuditSink;
import dev.bulwark.waf.match.prefilter.LiteralPrefilter;
import dev.bulwark.waf.request.Arg;
import dev.bulwark.waf.request.BodyLimits;
import dev.bulwark.waf.request.BodyParser;
import dev.bulwark.waf.request.BodyProcessor;
import dev.bulwark.waf.request.ContentCoding;
import dev.bulwark.waf.request.ParsedBody;
import dev.bulwark.waf.request.UploadedFile;
import dev.bulwark.waf.request.UrlEncoded;
import dev.bulwark.waf.rule.Ctl;
import dev.bulwark.waf.rule.Rule;
import dev.bulwark.waf.rule.SetVar;
import dev.bulwark.waf.rule.Target;
import dev.bulwark.waf.spi.MatchContext;
import dev.bulwark.waf.transform.Utf8Lenient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The per-request state machine: variables, the TX collection, transformation and prefilter
 * caches, matches and the verdict. Not thread-safe (one request, one thread at a time).
 *
 * <p>Why this file is over 1,700 lines: it still holds input buffering, variable population,
 * the phase loop, rule evaluation with its skip layers, actions and audit in one class, because
 * they share the per-request state directly. Splitting it by responsibility (population, the
 * meaning of one rule, the shortcuts around it) is issue 8, the next work item.
 */
final class EngineTransaction implements Transaction, MatchContext {

    private static final Logger LOG = LoggerFactory.getLogger(EngineTransaction.class);
    private static final int MAX_MATCHES = 200;
    /** Characters the per-transaction caches may hold (about 8 MiB). */
    static final long CACHE_BUDGET_CHARS = 4L << 20;

    /** One member of a collection; {@code key} is null for scalar variables. */
    static final class KV {
        private final String key;
        /** Replaced by a private copy when a value from a thread's recent values must leave it. */
        private Derived value;
        /** This member's name as a member of a *_NAMES collection, shared by all of them. */
        private KV nameMember;

        KV(String key, Derived value) {
            this.key = key;
            this.value = value;
        }

        String key() {
            return key;
        }

        String value() {
            return value.text;
        }

        Derived derived() {
            return value;
        }

        /** The member {@code (key, key)} of a names collection; one instance per member. */
        KV nameMember(EngineTransaction tx) {
            KV n = nameMember;
            if (n == null) {
                n = tx.member(key, key);
                nameMember = n;
            }
            return n;
        }
    }

    private final Engine engine;
    private final String id;
    private final long startNanos = System.nanoTime();
    private Mode mode;
    private final Limits limits;

    // request
    private String clientAddress = "";
    private int clientPort;
    private String serverAddress = "";
    private int serverPort;
    private String method = "";
    private String rawUri = "";
    private String protocol = "";
    private final List<KV> requestHeaders = new ArrayList<>();
    private byte[] body = new byte[0];
    private int bodyLength;
    private long bodyTotal;
    private boolean bodyTruncated;
    private boolean bodyAccess = true;
    private BodyProcessor forcedProcessor;

    // response
    private int responseStatus;
    private final List<KV> responseHeaders = new ArrayList<>();
    private byte[] responseBody = new byte[0];
    private int responseBodyLength;

    // evaluation state
    private final Map<String, List<KV>> vars = new HashMap<>();
    private final LinkedHashMap<String, String> tx = new LinkedHashMap<>();
    private long retainedChars;
    /** The thread whose recent values some members hold (see {@link #member}), or null. */
    private Thread recentOwner;
    private final List<KV> recentMembers = new ArrayList<>();
    /** The one empty result of this transaction's decoders (replaced with the recent values it may have joined). */
    private Derived empty = new Derived("");
    private LiteralPrefilter.Scanner scanner;
    /**
     * Per collection and transformation chain: the union of the prefilter candidates of all its
     * members. A regex rule whose pattern is not in it skips the whole collection at once.
     * Cleared whenever collections are (re)populated.
     */
    private final Summary[] summaries;
    /** Per collection: summaries by effective chain key (see {@link #effectiveChain}). */
    private final SharedSummaries[] sharedSummaries;
    private final long[] collectionMasks;
    private final KV[][] membersById;
    private final int[][] selections;
    private final BitSet[] gates;
    private final List<RuleMatch> matches = new ArrayList<>();
    private final List<KV> matchedVars = new ArrayList<>();
    private KV matchedVar;
    private CompiledRule currentRule;
    private int inboundScore;
    private int outboundScore;
    private long firstScoringRule;
    private int phasesDone;
    private Verdict interruption;
    private Verdict detected;
    private boolean allowAll;
    private boolean allowRequest;
    private boolean allowPhase;
    private IdSet removedIds = IdSet.EMPTY;
    private Set<String> removedTags;
    private Map<Long, List<CompiledRule.CompiledTarget>> removedTargetsById;
    private Map<String, List<CompiledRule.CompiledTarget>> removedTargetsByTag;
    private boolean closed;
    private boolean ruleError;

    @SuppressWarnings("unchecked")
    EngineTransaction(Engine engine, String id) {
        this.engine = engine;
        this.id = id;
        this.mode = engine.settings().mode();
        this.limits = engine.settings().limits();
        this.summaries = new Summary[engine.summarySlotCount()];
        this.sharedSummaries = new SharedSummaries[engine.collectionCount()];
        this.collectionMasks = new long[engine.collectionCount()];
        this.membersById = new KV[engine.collectionCount()][];
        this.selections = new int[engine.selectionCount()][];
        this.gates = new BitSet[engine.gateCount()];
        Arrays.fill(collectionMasks, -1);

        Settings s = engine.settings();
        tx.put("paranoia_level", Integer.toString(s.paranoiaLevel()));
        tx.put("detection_paranoia_level", Integer.toString(s.paranoiaLevel()));
        tx.put("inbound_anomaly_score_threshold", Integer.toString(s.inboundThreshold()));
        tx.put("outbound_anomaly_score_threshold", Integer.toString(s.outboundThreshold()));
        tx.put("critical_anomaly_score", "5");
        tx.put("error_anomaly_score", "4");
        tx.put("warning_anomaly_score", "3");
        tx.put("notice_anomaly_score", "2");
        tx.put("inbound_anomaly_score", "0");
        tx.put("outbound_anomaly_score", "0");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void connection(String clientAddress, int clientPort, String serverAddress, int serverPort) {
        this.clientAddress = clientAddress == null ? "" : clientAddress;
        this.clientPort = clientPort;
        this.serverAddress = serverAddress == null ? "" : serverAddress;
        this.serverPort = serverPort;
    }

    @Override
    public void requestLine(String method, String rawUri, String protocol) {
        this.method = method == null ? "" : method;
        this.rawUri = rawUri == null ? "" : rawUri;
        this.protocol = protocol == null ? "" : protocol;
    }

    @Override
    public void requestHeader(String name, String value) {
        if (name != null) {
            requestHeaders.add(member(name, value == null ? "" : value));
        }
    }

    // ---------------------------------------------------------------- phases

    @Override
    public Verdict processRequestHeaders() {
        if (phasesDone >= 1 || mode == Mode.OFF) {
            return verdict();
        }
        phasesDone = 1;
        populateRequestHeaders();
        if (requestHeaders.size() > limits.maxHeaderCount()) {
            interrupt(new Verdict.Deny(400, 0, "too many request headers (" + requestHeaders.size() + ")", matches));
            if (interruption != null) {
                return interruption;
            }
        }
        strictRequest();
        runPhase(Phase.REQUEST_HEADERS);
        checkInbound();
        return verdict();
    }

    @Override
    public boolean wantsRequestBody() {
        return mode != Mode.OFF && bodyAccess && interruption == null && !allowAll && !allowRequest;
    }

    @Override
    public Verdict requestBody(byte[] data, int offset, int length) {
        if (interruption != null || mode == Mode.OFF || length <= 0) {
            return verdict();
        }
        bodyTotal += length;
        if (bodyTotal > limits.maxRequestBodyBytes()) {
            bodyTruncated = true;
            interrupt(new Verdict.Deny(413, 0, "request body larger than " + limits.maxRequestBodyBytes() + " bytes", matches));
            return verdict();
        }
        int room = limits.maxInspectedBodyBytes() - bodyLength;
        int keep = Math.min(room, length);
        if (keep > 0) {
            if (bodyLength + keep > body.length) {
                body = Arrays.copyOf(body, Math.min(limits.maxInspectedBodyBytes(), Math.max(bodyLength + keep, body.length * 2 + 1024)));
            }
            System.arraycopy(data, offset, body, bodyLength, keep);
            bodyLength += keep;
        }
        if (keep < length) {
            bodyTruncated = true;
            if (limits.onBodyLimit() == Limits.BodyLimitAction.REJECT) {
                interrupt(new Verdict.Deny(413, 0, "request body larger than the inspection limit of "
                        + limits.maxInspectedBodyBytes() + " bytes", matches));
            }
        }
        return verdict();
    }

    @Override
    public Verdict processRequestBody() {
        if (phasesDone < 1) {
            processRequestHeaders();
        }
        if (phasesDone >= 2 || mode == Mode.OFF) {
            return verdict();
        }
        phasesDone = 2;
        if (interruption != null) {
            return interruption;
        }
        populateRequestBody();
        // ModSecurity's name for "the body was longer than what was inspected" (inspect-partial).
        put("INBOUND_DATA_ERROR", bodyTruncated ? "1" : "0");
        strictBody();
        runPhase(Phase.REQUEST_BODY);
        checkInbound();
        return verdict();
    }

    @Override
    public Verdict processResponseHeaders(int status, List<Map.Entry<String, String>> headers) {
        if (phasesDone < 2) {
            processRequestBody();
        }
        if (phasesDone >= 3 || mode == Mode.OFF) {
            return verdict();
        }
        phasesDone = 3;
        responseStatus = status;
        if (headers != null) {
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey() != null) {
                    responseHeaders.add(member(h.getKey(), h.getValue() == null ? "" : h.getValue()));
                }
            }
        }
        if (interruption != null) {
            return interruption;
        }
        populateResponseHeaders();
        runPhase(Phase.RESPONSE_HEADERS);
        checkOutbound();
        return verdict();
    }

    @Override
    public void responseBody(byte[] data, int offset, int length) {
        if (mode == Mode.OFF || length <= 0) {
            return;
        }
        int keep = Math.min(limits.maxResponseBodyBytes() - responseBodyLength, length);
        if (keep <= 0) {
            return;
        }
        if (responseBodyLength + keep > responseBody.length) {
            responseBody = Arrays.copyOf(responseBody, Math.min(limits.maxResponseBodyBytes(),
                    Math.max(responseBodyLength + keep, responseBody.length * 2 + 1024)));
        }
        System.arraycopy(data, offset, responseBody, responseBodyLength, keep);
        responseBodyLength += keep;
    }

    @Override
    public Verdict processResponseBody() {
        if (phasesDone < 3) {
            processResponseHeaders(responseStatus, List.of());
        }
        if (phasesDone >= 4 || mode == Mode.OFF) {
            return verdict();
        }
        phasesDone = 4;
        if (interruption != null) {
            return interruption;
        }
        forgetSummaries();
        put("RESPONSE_BODY", Utf8Lenient.decode(responseBody, 0, responseBodyLength));
        put("RESPONSE_CONTENT_LENGTH", Integer.toString(responseBodyLength));
        runPhase(Phase.RESPONSE_BODY);
        checkOutbound();
        return verdict();
    }

    @Override
    public Verdict verdict() {
        if (interruption != null) {
            return interruption;
        }
        return matches.isEmpty() ? Verdict.pass() : new Verdict.Pass(matches);
    }

    @Override
    public Verdict detectedVerdict() {
        return detected;
    }

    @Override
    public List<RuleMatch> matches() {
        return List.copyOf(matches);
    }

    @Override
    public int inboundAnomalyScore() {
        return inboundScore;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (mode != Mode.OFF && phasesDone >= 1) {
                runPhase(Phase.LOGGING);
            }
            audit();
        } catch (RuntimeException e) {
            LOG.warn("transaction {}: error while closing", id, e);
        }
    }

    // ---------------------------------------------------------------- variables

    /** Ways per set of a thread's recent values (see {@link #member}). */
    private static final int RECENT_WAYS = 4;

    /**
     * A collection member whose value comes from the thread's recent values when it is short
     * (see {@link Engine#recentValues}): header, cookie and argument values recur from request to
     * request, and a recurring value arrives with its transformations, masks and candidates
     * already worked out.
     */
    private KV member(String key, String value) {
        Derived[] recent = value.length() <= Engine.SHARED_VALUE_MAX_LENGTH ? engine.recentValues() : null;
        if (recent == null) {
            return new KV(key, new Derived(value));
        }
        Thread t = Thread.currentThread();
        if (recentOwner != t) {
            releaseRecentValues(); // they belong to the other thread's memory
            recentOwner = t;
        }
        // Sets of four, most recently used first: a JSON body's few hundred values and names
        // fit without evicting each other, as they would in a table with fewer ways (a request
        // visits its values in the same order each time, the worst case for LRU sets).
        int set = (value.hashCode() & (recent.length / RECENT_WAYS - 1)) * RECENT_WAYS;
        int way = 0;
        while (way < RECENT_WAYS && (recent[set + way] == null || !recent[set + way].text.equals(value))) {
            way++;
        }
        Derived d = way < RECENT_WAYS ? recent[set + way] : new Derived(value);
        System.arraycopy(recent, set, recent, set + 1, Math.min(way, RECENT_WAYS - 1));
        recent[set] = d;
        KV kv = new KV(key, d);
        recentMembers.add(kv);
        return kv;
    }

    /**
     * Gives every member taken from a thread's recent values a private copy of its value. Those
     * values are not thread-safe and belong to their thread, which keeps using them for other
     * requests; a transaction that moves to another thread (an asynchronous response) must let
     * go of them first.
     */
    private void releaseRecentValues() {
        if (recentOwner == null) {
            return;
        }
        for (KV kv : recentMembers) {
            kv.value = new Derived(kv.value.text);
        }
        recentMembers.clear();
        recentOwner = null;
        empty = new Derived(""); // the old one may hang in the other thread's values
        forgetSummaries();
    }

    private void put(String name, String value) {
        vars.put(name, List.of(member(null, value)));
    }

    private void populateRequestHeaders() {
        forgetSummaries();
        String uri = rawUri;
        String uriRaw = rawUri;
        // Absolute-form request targets carry scheme and authority; REQUEST_URI keeps only path+query.
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd > 0 && schemeEnd < 10 && !uri.startsWith("/")) {
            int pathStart = uri.indexOf('/', schemeEnd + 3);
            uri = pathStart < 0 ? "/" : uri.substring(pathStart);
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? "" : uri.substring(q + 1);
        int hash = query.indexOf('#');
        if (hash >= 0) {
            query = query.substring(0, hash);
        }
        put("REQUEST_METHOD", method);
        put("REQUEST_PROTOCOL", protocol);
        put("REQUEST_LINE", method + " " + rawUri + " " + protocol);
        put("REQUEST_URI", uri);
        put("REQUEST_URI_RAW", uriRaw);
        put("REQUEST_FILENAME", path);
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        put("REQUEST_BASENAME", path.substring(slash + 1));
        put("QUERY_STRING", query);
        put("REMOTE_ADDR", clientAddress);
        put("REMOTE_HOST", clientAddress);
        put("REMOTE_PORT", Integer.toString(clientPort));
        put("SERVER_ADDR", serverAddress);
        put("SERVER_PORT", Integer.toString(serverPort));
        put("UNIQUE_ID", id);
        List<Arg> get = UrlEncoded.parse(query, limits.maxArgs() + 1);
        if (get.size() > limits.maxArgs()) {
            get = get.subList(0, limits.maxArgs());
            if (limits.onBodyLimit() == Limits.BodyLimitAction.REJECT) {
                interrupt(new Verdict.Deny(400, 0, "more than " + limits.maxArgs() + " query arguments", matches));
            }
        }
        List<KV> argsGet = new ArrayList<>(get.size());
        for (Arg a : get) {
            argsGet.add(member(a.name(), a.value()));
        }
        vars.put("ARGS_GET", argsGet);
        vars.put("ARGS_GET_NAMES", names(argsGet));
        vars.put("REQUEST_HEADERS", List.copyOf(requestHeaders));
        vars.put("REQUEST_HEADERS_NAMES", names(requestHeaders));
        String host = "";
        List<KV> cookies = new ArrayList<>();
        for (KV h : requestHeaders) {
            if (h.key().equalsIgnoreCase("cookie")) {
                parseCookies(h.value(), cookies);
            } else if (h.key().equalsIgnoreCase("host") && host.isEmpty()) {
                host = h.value();
            }
        }
        int colon = host.lastIndexOf(':');
        put("SERVER_NAME", colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host);
        vars.put("REQUEST_COOKIES", cookies);
        vars.put("REQUEST_COOKIES_NAMES", names(cookies));
        setArgs(argsGet, List.of());
        long full = vars.get("REQUEST_LINE").get(0).value().length();
        for (KV h : requestHeaders) {
            full += h.key().length() + h.value().length() + 4;
        }
        put("FULL_REQUEST_LENGTH", Long.toString(full));
    }

    private void setArgs(List<KV> get, List<KV> post) {
        List<KV> args = new ArrayList<>(get.size() + post.size());
        args.addAll(get);
        args.addAll(post);
        vars.put("ARGS", args);
        vars.put("ARGS_NAMES", names(args));
        long size = 0;
        for (KV a : args) {
            size += a.key().length() + a.value().length();
        }
        put("ARGS_COMBINED_SIZE", Long.toString(size));
    }

    /**
     * Splits a Cookie header at ';', except inside a value that starts with a double quote
     * (RFC 6265 {@code DQUOTE *cookie-octet DQUOTE}): Jetty, Tomcat and others read
     * {@code q=";cat /etc/passwd"} as one cookie, so the WAF must not see two. A value that is
     * exactly one quoted string loses its quotes, as in the servers that unquote: rules then see
     * the payload at the start of the value, where an application reading it would. A backslash
     * escapes the next character (RFC 2109 quoted-string, as Python's SimpleCookie reads it) and
     * an unclosed quote runs to the end of the header: of two readings the WAF takes the one that
     * puts the text into a value, where the rules look, never into a cookie name of its own.
     */
    private void parseCookies(String header, List<KV> out) {
        int n = header.length();
        int i = 0;
        while (i <= n) {
            int semi = header.indexOf(';', i);
            int end = semi < 0 ? n : semi;
            int eq = header.indexOf('=', i);
            if (eq >= 0 && eq < end) {
                int v = eq + 1;
                while (v < n && (header.charAt(v) == ' ' || header.charAt(v) == '\t')) {
                    v++;
                }
                int close = v < n && header.charAt(v) == '"' ? closingQuote(header, v + 1) : -1;
                if (close > end) {
                    semi = close < n ? header.indexOf(';', close) : -1;
                    end = semi < 0 ? n : semi;
                }
                String value = header.substring(eq + 1, end).trim();
                if (close > 0 && close < n && value.length() == close - v + 1) {
                    value = value.substring(1, value.length() - 1);
                }
                out.add(member(header.substring(i, eq).trim(), value));
            } else if (!header.substring(i, end).isBlank()) {
                out.add(member(header.substring(i, end).trim(), ""));
            }
            if (semi < 0) {
                break;
            }
            i = semi + 1;
        }
    }

    /** Index of the quote closing a quoted string whose text starts at {@code i}; the length if none. */
    private static int closingQuote(String s, int i) {
        while (i < s.length() && s.charAt(i) != '"') {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i, s.length());
    }

    private List<KV> names(List<KV> members) {
        List<KV> out = new ArrayList<>(members.size());
        for (KV kv : members) {
            out.add(kv.nameMember(this));
        }
        return out;
    }

    private void populateRequestBody() {
        forgetSummaries();
        put("REQUEST_BODY_LENGTH", Long.toString(bodyTotal));
        put("REQBODY_ERROR", "0");
        put("REQBODY_PROCESSOR_ERROR", "0");
        put("REQBODY_ERROR_MSG", "");
        put("MULTIPART_STRICT_ERROR", "0");
        String contentType = header("content-type");
        BodyProcessor processor = forcedProcessor != null ? forcedProcessor : BodyProcessor.forContentType(contentType);
        put("REQBODY_PROCESSOR", processor == BodyProcessor.NONE ? "" : processor.name());
        if (!bodyAccess || bodyLength == 0) {
            put("REQUEST_BODY", "");
            put("REQUEST_BODY_UNPARSED", "");
            return;
        }
        // Rules see the body as the application behind a decompressing server does; the
        // connector still forwards the original bytes.
        ContentCoding.Result decoded = ContentCoding.decode(headers("content-encoding"), body, 0, bodyLength,
                bodyTruncated, limits.maxInspectedBodyBytes(), limits.maxDecompressionRatio());
        byte[] data = decoded.data();
        int offset = decoded.offset();
        int length = decoded.length();
        boolean partial = bodyTruncated;
        switch (decoded.outcome()) {
            case IDENTITY:
            case DECODED:
                break;
            case OUTPUT_LIMIT:
                partial = true;
                if (limits.onBodyLimit() == Limits.BodyLimitAction.REJECT) {
                    interrupt(new Verdict.Deny(413, 0, "request body: " + decoded.detail(), matches));
                }
                break;
            default:
                interrupt(new Verdict.Deny(codingStatus(decoded.outcome()), 0,
                        "request body Content-Encoding: " + decoded.detail(), matches));
                put("REQBODY_ERROR", "1");
                put("REQBODY_ERROR_MSG", "Content-Encoding: " + decoded.detail());
                put("REQBODY_PROCESSOR", "");
                if (interruption == null) {
                    // DetectionOnly: nothing usable was decoded, the bytes as sent are all there
                    // is to inspect.
                    List<KV> sent = List.of(member(null, Utf8Lenient.decode(body, 0, bodyLength)));
                    vars.put("REQUEST_BODY", sent);
                    vars.put("REQUEST_BODY_UNPARSED", sent);
                }
                return;
        }
        if (interruption != null) {
            // Refused already (a decoded body past the limit): no phase 2 rule will run, as
            // for a plain body refused while it arrived.
            return;
        }
        List<KV> rawBody = List.of();
        if (processor != BodyProcessor.MULTIPART) {
            rawBody = List.of(member(null, Utf8Lenient.decode(data, offset, length)));
            vars.put("REQUEST_BODY", rawBody);
        }
        // REQUEST_BODY_UNPARSED is the (decoded) raw text whenever ARGS does not represent all
        // of it: no declared processor (even when the body is also sniffed as JSON or a form),
        // XML (DTD, comments and processing instructions are no arguments), a body cut at a
        // limit, or one that failed to parse (below).
        boolean coveredByArgs = (processor == BodyProcessor.URLENCODED || processor == BodyProcessor.JSON) && !partial;
        vars.put("REQUEST_BODY_UNPARSED", coveredByArgs ? List.of() : rawBody);
        ParsedBody parsed;
        ParsedBody alsoJson = null;
        boolean sniffed = processor == BodyProcessor.NONE;
        if (sniffed) {
            // An undeclared body shaped like JSON or a form is parsed as such too: applications
            // often parse it anyway (some past errors such as invalid UTF-8).
            BodyProcessor shape = forcedProcessor == null ? BodyProcessor.sniff(data, offset, length) : BodyProcessor.NONE;
            parsed = shape == BodyProcessor.NONE ? null : parseSniffed(shape, contentType, data, offset, length);
            if (parsed == null) {
                return;
            }
            put("REQBODY_PROCESSOR", shape.name());
        } else {
            parsed = BodyParser.parse(processor, contentType, data, offset, length, BodyLimits.from(limits));
            if (parsed.error() != null || parsed.limitExceeded()) {
                vars.put("REQUEST_BODY_UNPARSED", !rawBody.isEmpty() ? rawBody
                        : List.of(member(null, Utf8Lenient.decode(data, offset, length))));
            }
            if (processor == BodyProcessor.URLENCODED && forcedProcessor == null
                    && BodyProcessor.sniff(data, offset, length) == BodyProcessor.JSON) {
                // A "form" that is JSON text is read as JSON by apps with catch-all JSON parsers
                // (and ignored as a form by the others): inspect it both ways, and whole.
                alsoJson = parseSniffed(BodyProcessor.JSON, contentType, data, offset, length);
                if (alsoJson != null) {
                    vars.put("REQUEST_BODY_UNPARSED", rawBody);
                }
            }
        }
        List<KV> post = new ArrayList<>(parsed.args().size());
        for (Arg a : parsed.args()) {
            post.add(member(a.name(), a.value()));
        }
        if (alsoJson != null) {
            for (Arg a : alsoJson.args()) {
                post.add(member(a.name(), a.value()));
            }
        }
        // XML values also count as body arguments (named "xml:/a/b", "xml:/a/@attr"), so that
        // signatures written for ARGS see attacks in XML bodies too; XML:/* still has them alone.
        for (Arg a : parsed.xml()) {
            post.add(member("xml:" + a.name(), a.value()));
        }
        int room = limits.maxArgs() - vars.get("ARGS_GET").size();
        if (post.size() > room) {
            post = new ArrayList<>(post.subList(0, Math.max(0, room)));
            if (limits.onBodyLimit() == Limits.BodyLimitAction.REJECT) {
                interrupt(new Verdict.Deny(400, 0, "more than " + limits.maxArgs() + " arguments", matches));
            }
        }
        vars.put("ARGS_POST", post);
        vars.put("ARGS_POST_NAMES", names(post));
        setArgs(vars.get("ARGS_GET"), post);
        List<KV> files = new ArrayList<>();
        List<KV> fileNames = new ArrayList<>();
        List<KV> sizes = new ArrayList<>();
        long combined = 0;
        for (UploadedFile f : parsed.files()) {
            files.add(member(f.fieldName(), f.fileName()));
            fileNames.add(member(f.fieldName(), f.fieldName()));
            sizes.add(member(f.fieldName(), Long.toString(f.size())));
            combined += f.size();
        }
        vars.put("FILES", files);
        vars.put("MULTIPART_FILENAME", files);
        vars.put("FILES_NAMES", fileNames);
        vars.put("MULTIPART_NAME", fileNames);
        vars.put("FILES_SIZES", sizes);
        put("FILES_COMBINED_SIZE", Long.toString(combined));
        List<KV> partHeaders = new ArrayList<>();
        for (String h : parsed.partHeaders()) {
            partHeaders.add(member(null, h));
        }
        vars.put("MULTIPART_PART_HEADERS", partHeaders);
        List<KV> xml = new ArrayList<>();
        for (Arg a : parsed.xml()) {
            xml.add(member(a.name(), a.value()));
        }
        vars.put("XML", xml);
        if (parsed.multipartStrictError()) {
            put("MULTIPART_STRICT_ERROR", "1");
        }
        for (String flag : parsed.multipartFlags()) {
            put(flag, "1");
        }
        if (parsed.error() != null && !sniffed) {
            put("REQBODY_ERROR", "1");
            put("REQBODY_PROCESSOR_ERROR", "1");
            put("REQBODY_ERROR_MSG", parsed.error());
        }
        if ((parsed.limitExceeded() || alsoJson != null && alsoJson.limitExceeded())
                && limits.onBodyLimit() == Limits.BodyLimitAction.REJECT) {
            interrupt(new Verdict.Deny(400, 0, "request body exceeds parser limits"
                    + (parsed.error() == null ? "" : ": " + parsed.error()), matches));
        }
    }

    /**
     * Parses a body as the format it looks like ({@link BodyProcessor#sniff}), for an application
     * that may read it so. Null when the parse gave nothing: then it was not that format, which
     * is no REQBODY_ERROR either.
     */
    private ParsedBody parseSniffed(BodyProcessor shape, String contentType, byte[] data, int offset, int length) {
        ParsedBody parsed = BodyParser.parse(shape, contentType, data, offset, length, BodyLimits.from(limits));
        return parsed.error() != null && !parsed.limitExceeded() && parsed.args().isEmpty() ? null : parsed;
    }

    /** Strict validation of the request line and headers; a violation is a 400 (see {@link StrictParsing}). */
    private void strictRequest() {
        StrictParsing strict = engine.settings().strict();
        if (strict.enabled()) {
            String why = StrictValidator.checkRequest(strict, method, rawUri, protocol, requestHeaders);
            if (why != null) {
                interrupt(new Verdict.Deny(400, 0, why, matches));
            }
        }
    }

    /**
     * Strict validation of the parsed body, from the variables populateRequestBody set. A body
     * that filled the inspection limit may have been cut there (a connector feeding only the
     * inspected prefix cannot say), so its missing closing delimiter is not held against it.
     */
    private void strictBody() {
        StrictParsing strict = engine.settings().strict();
        if (strict.enabled() && interruption == null) {
            String why = StrictValidator.checkBody(strict, vars::containsKey,
                    vars.getOrDefault("MULTIPART_PART_HEADERS", List.of()), vars.getOrDefault("ARGS_POST", List.of()),
                    bodyTruncated || bodyLength >= limits.maxInspectedBodyBytes());
            if (why != null) {
                interrupt(new Verdict.Deny(400, 0, why, matches));
            }
        }
    }

    private void populateResponseHeaders() {
        forgetSummaries();
        put("RESPONSE_STATUS", Integer.toString(responseStatus));
        put("RESPONSE_PROTOCOL", protocol);
        vars.put("RESPONSE_HEADERS", List.copyOf(responseHeaders));
        vars.put("RESPONSE_HEADERS_NAMES", names(responseHeaders));
        String ct = "";
        for (KV h : responseHeaders) {
            if (h.key().equalsIgnoreCase("content-type")) {
                ct = h.value();
                break;
            }
        }
        put("RESPONSE_CONTENT_TYPE", ct);
    }

    /** 415 for a coding the engine cannot undo, 413 for a bomb, 503 when busy, else 400. */
    private static int codingStatus(ContentCoding.Outcome outcome) {
        switch (outcome) {
            case UNSUPPORTED:
                return 415;
            case RATIO:
                return 413;
            case BUSY:
                return 503;
            default:
                return 400;
        }
    }

    /** Every value of a request header, in order. */
    private List<String> headers(String name) {
        List<String> out = new ArrayList<>(1);
        for (KV h : requestHeaders) {
            if (h.key().equalsIgnoreCase(name)) {
                out.add(h.value());
            }
        }
        return out;
    }

    private String header(String name) {
        for (KV h : requestHeaders) {
            if (h.key().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    private static final KV[] NO_MEMBERS = new KV[0];

    /**
     * The members of a target's collection as an array, memoised per population for
     * summarisable collections: the hot loops index it directly instead of going through the
     * several {@code List} implementations collections are built from.
     */
    private KV[] members(CompiledRule.CompiledTarget t) {
        int id = t.collectionId;
        if (id < 0) {
            List<KV> l = members(t.collection);
            return l.isEmpty() ? NO_MEMBERS : l.toArray(NO_MEMBERS);
        }
        KV[] m = membersById[id];
        if (m == null) {
            List<KV> l = members(t.collection);
            m = l.isEmpty() ? NO_MEMBERS : l.toArray(NO_MEMBERS);
            membersById[id] = m;
        }
        return m;
    }

    /** The values of a collection's members as this transaction holds them (for tests). */
    List<Derived> valuesOf(String collection) {
        List<Derived> out = new ArrayList<>();
        for (KV kv : members(collection)) {
            out.add(kv.derived());
        }
        return out;
    }

    /** The members a target selects, before exclusions. */
    private List<KV> members(String collection) {
        switch (collection) {
            case "TX": {
                List<KV> out = new ArrayList<>(tx.size());
                tx.forEach((k, v) -> out.add(new KV(k, new Derived(v))));
                return out;
            }
            case "MATCHED_VAR":
                return matchedVar == null ? List.of() : List.of(new KV(null, new Derived(matchedVar.value())));
            case "MATCHED_VAR_NAME":
                return matchedVar == null ? List.of() : List.of(new KV(null, new Derived(matchedVar.key())));
            case "MATCHED_VARS":
                return matchedVars;
            case "MATCHED_VARS_NAMES":
                return names(matchedVars);
            case "DURATION":
                return List.of(new KV(null, new Derived(Long.toString((System.nanoTime() - startNanos) / 1000))));
            default:
                List<KV> l = vars.get(collection);
                return l == null ? List.of() : l;
        }
    }

    // ---------------------------------------------------------------- evaluation

    private void runPhase(Phase phase) {
        if (mode == Mode.OFF) {
            return;
        }
        if (recentOwner != null && recentOwner != Thread.currentThread()) {
            releaseRecentValues();
        }
        CompiledRule[] rules = engine.phase(phase);
        // Per thread, not per transaction: its buffers are sized by the whole rule set.
        scanner = engine.scanner();
        allowPhase = false;
        for (int i = 0; i < rules.length; i++) {
            if (allowAll && phase != Phase.LOGGING || allowRequest && phase.inbound() || allowPhase) {
                return;
            }
            if (interruption != null && phase != Phase.LOGGING) {
                return;
            }
            CompiledRule r = rules[i];
            if (r.marker || isRemoved(r)) {
                continue;
            }
            boolean matched;
            try {
                matched = evaluate(r, phase);
            } catch (RuntimeException e) {
                ruleError = true;
                LOG.warn("transaction {}: rule {} failed: {}", id, r.reportId, e.toString());
                if (!engine.settings().failOpen() && phase != Phase.LOGGING) {
                    interrupt(new Verdict.Deny(engine.settings().blockStatus(), r.reportId, "rule error: " + e, matches));
                }
                continue;
            }
            if (matched) {
                if (r.skipAfterIndex >= 0) {
                    i = r.skipAfterIndex;
                } else if (r.rule.skip() > 0) {
                    i += r.rule.skip();
                }
            }
        }
    }

    private boolean isRemoved(CompiledRule r) {
        if (!removedIds.isEmpty() && removedIds.contains(r.rule.id())) {
            return true;
        }
        if (removedTags != null) {
            for (String t : r.rule.tags()) {
                if (removedTags.contains(t.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Evaluates a rule and its chain; on a full match runs the actions. */
    private boolean evaluate(CompiledRule r, Phase phase) {
        matchedVars.clear();
        KV first = condition(r);
        if (first == null) {
            return false;
        }
        for (CompiledRule c = r.chain; c != null; c = c.chain) {
            if (condition(c) == null) {
                return false;
            }
        }
        for (CompiledRule c = r; c != null; c = c.chain) {
            currentRule = c;
            for (SetVar sv : c.rule.setVars()) {
                setVar(sv);
            }
            for (Ctl ctl : c.rule.ctls()) {
                ctl(ctl);
            }
        }
        currentRule = r;
        Rule rule = r.rule;
        if (rule.log() && matches.size() < MAX_MATCHES) {
            String msg = r.constantMessage ? rule.message() : expand(rule.message());
            String logData = r.constantLogData ? rule.logData() : expand(rule.logData());
            matches.add(new RuleMatch(r.reportId, phase, msg, rule.severity(), rule.tags(), first.key(),
                    SecretMasker.maskAndTruncate(first.value()), SecretMasker.maskAndTruncate(logData),
                    rule.paranoiaLevel()));
        }
        disrupt(r, phase);
        return true;
    }

    private void disrupt(CompiledRule r, Phase phase) {
        Rule rule = r.rule;
        Settings s = engine.settings();
        switch (rule.action()) {
            case BLOCK:
                if (s.anomalyScoring()) {
                    int score = rule.severity() == null ? Severity.CRITICAL.score() : rule.severity().score();
                    if (firstScoringRule == 0 && score > 0) {
                        firstScoringRule = r.reportId;
                    }
                    if (phase.inbound()) {
                        inboundScore += score;
                        tx.put("inbound_anomaly_score", Integer.toString(inboundScore));
                    } else {
                        outboundScore += score;
                        tx.put("outbound_anomaly_score", Integer.toString(outboundScore));
                    }
                } else {
                    interrupt(new Verdict.Deny(statusOr(rule, s.blockStatus()), r.reportId, rule.message(), matches));
                }
                break;
            case DENY:
                interrupt(new Verdict.Deny(statusOr(rule, s.blockStatus()), r.reportId, rule.message(), matches));
                break;
            case DROP:
                interrupt(new Verdict.Drop(r.reportId, matches));
                break;
            case REDIRECT:
                int st = rule.status() >= 300 && rule.status() < 400 ? rule.status() : 302;
                interrupt(new Verdict.Redirect(st, expand(rule.redirectUrl()), r.reportId, matches));
                break;
            case ALLOW:
                allowAll = true;
                break;
            case ALLOW_REQUEST:
                allowRequest = true;
                break;
            case ALLOW_PHASE:
                allowPhase = true;
                break;
            default:
                break;
        }
    }

    private static int statusOr(Rule rule, int dflt) {
        return rule.status() > 0 ? rule.status() : dflt;
    }

    private void interrupt(Verdict v) {
        if (mode == Mode.DETECTION_ONLY) {
            if (detected == null) {
                detected = v;
            }
            return;
        }
        if (interruption == null && mode == Mode.ON) {
            interruption = v;
        }
    }

    private void checkInbound() {
        Settings s = engine.settings();
        if (s.anomalyScoring() && interruption == null && inboundScore >= s.inboundThreshold()) {
            interrupt(new Verdict.Deny(s.blockStatus(), firstScoringRule,
                    "inbound anomaly score " + inboundScore + " reached the threshold " + s.inboundThreshold(), matches));
        }
    }

    private void checkOutbound() {
        Settings s = engine.settings();
        if (s.anomalyScoring() && interruption == null && outboundScore >= s.outboundThreshold()) {
            interrupt(new Verdict.Deny(s.blockStatus(), firstScoringRule,
                    "outbound anomaly score " + outboundScore + " reached the threshold " + s.outboundThreshold(), matches));
        }
    }

    /** Runs a rule's condition over its targets; returns the first matching (name, value) or null. */
    private KV condition(CompiledRule r) {
        currentRule = r;
        if (r.gateSlot >= 0 && !gate(r).get(r.prefilterId)) {
            return null; // no member of any target may match
        }
        List<CompiledRule.CompiledTarget> removed = removedTargets(r);
        for (CompiledRule.CompiledTarget t : r.targetArray) {
            KV[] members = members(t);
            if (members.length == 0 && !t.count) {
                continue; // most rules name collections this request does not have
            }
            // A summary pays for every member; a target that picks one header does not need it.
            Summary sum = t.count || !t.selectsAll() ? null : summary(r, t);
            if (sum != null && !sum.union.get(r.prefilterId)) {
                continue;
            }
            if (t.count) {
                int n = 0;
                for (KV kv : members) {
                    if (selects(t, kv.key()) && !excluded(r, removed, t.collection, kv.key())) {
                        n++;
                    }
                }
                KV hit = test(r, t.display, null, new Derived(Integer.toString(n)));
                if (hit != null) {
                    return hit;
                }
                continue;
            }
            int[] picked = t.selectionId >= 0 ? selection(t, members) : null;
            int n = picked != null ? picked.length : members.length;
            for (int k = 0; k < n; k++) {
                int i = picked != null ? picked[k] : k;
                if (sum != null && !sum.members[i].get(r.prefilterId)) {
                    continue;
                }
                KV kv = members[i];
                if (picked == null && !t.selectsAll() && !selects(t, kv.key())) {
                    continue;
                }
                if (excluded(r, removed, t.collection, kv.key())) {
                    continue;
                }
                KV hit = test(r, t.collection, kv.key(), kv.derived());
                if (hit != null) {
                    return hit;
                }
            }
        }
        return null;
    }

    private boolean excluded(CompiledRule r, List<CompiledRule.CompiledTarget> removed, String collection, String key) {
        for (CompiledRule.CompiledTarget x : r.exclusionArray) {
            if (x.collection.equals(collection) && selects(x, key)) {
                return true;
            }
        }
        if (removed != null) {
            for (CompiledRule.CompiledTarget x : removed) {
                if (x.collection.equals(collection) && selects(x, key)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The indexes of the members a keyed target ({@code REQUEST_HEADERS:User-Agent},
     * {@code REQUEST_HEADERS:/^x-/}) picks, worked out once per population and shared by every
     * rule with the same selector.
     */
    private int[] selection(CompiledRule.CompiledTarget t, KV[] members) {
        int[] picked = selections[t.selectionId];
        if (picked == null) {
            int[] tmp = new int[members.length];
            int n = 0;
            for (int i = 0; i < tmp.length; i++) {
                if (selects(t, members[i].key())) {
                    tmp[n++] = i;
                }
            }
            picked = Arrays.copyOf(tmp, n);
            selections[t.selectionId] = picked;
        }
        return picked;
    }

    /** Whether a target's selector picks {@code key}; regex selectors are memoised per key. */
    private boolean selects(CompiledRule.CompiledTarget t, String key) {
        if (t.keyRegexSlot < 0 || key == null) {
            return t.selects(key);
        }
        return engine.keyMatches(t, key);
    }

    private List<CompiledRule.CompiledTarget> removedTargets(CompiledRule r) {
        List<CompiledRule.CompiledTarget> out = null;
        if (removedTargetsById != null) {
            out = removedTargetsById.get(r.rule.id() == 0 ? r.reportId : r.rule.id());
        }
        if (removedTargetsByTag != null) {
            for (String tag : r.rule.tags()) {
                List<CompiledRule.CompiledTarget> l = removedTargetsByTag.get(tag.toLowerCase(Locale.ROOT));
                if (l != null) {
                    out = out == null ? new ArrayList<>(l) : concat(out, l);
                }
            }
        }
        return out;
    }

    private static List<CompiledRule.CompiledTarget> concat(List<CompiledRule.CompiledTarget> a, List<CompiledRule.CompiledTarget> b) {
        List<CompiledRule.CompiledTarget> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * Transforms one value and runs the operator; returns the match (variable name, transformed
     * value) or null. The name ({@code collection:key}) is only built on a match.
     */
    private KV test(CompiledRule r, String collection, String key, Derived value) {
        if (r.multiMatch) {
            if (operatorMatches(r, value)) {
                return matched(collection, key, value);
            }
            Derived v = value;
            for (int i = 0; i < r.transformations.length; i++) {
                Derived next = triggeredStep(r, i, v);
                if (next != v && !next.text.equals(v.text) && operatorMatches(r, next)) {
                    return matched(collection, key, next);
                }
                v = next;
            }
            return null;
        }
        Derived v = transform(r, value);
        return operatorMatches(r, v) ? matched(collection, key, v) : null;
    }

    private KV matched(String collection, String key, Derived value) {
        KV kv = new KV(key == null ? collection : collection + ":" + key, value);
        matchedVar = kv;
        matchedVars.add(kv);
        return kv;
    }

    /** Runs {@code r}'s transformation chain over a value; every step is memoised on its input. */
    private Derived transform(CompiledRule r, Derived original) {
        Derived v = original.chainResult(r.chainId);
        if (v != null) {
            return v; // run before: in this request, or in an earlier one for a recent value
        }
        v = original;
        for (int i = 0; i < r.triggers.length; i++) {
            v = triggeredStep(r, i, v);
        }
        // Short values only: they are the many (a JSON body's) and each walk is most of their cost.
        if (original.text.length() <= Engine.SHARED_VALUE_MAX_LENGTH && (v == original || retain(v.text))) {
            original.rememberChain(r.chainId, engine.chainCount(), v);
        }
        return v;
    }

    /** Step {@code i} of {@code r}'s chain, skipped when the value lacks its trigger characters. */
    private Derived triggeredStep(CompiledRule r, int i, Derived in) {
        long trig = r.triggers[i];
        if (trig != CharMask.ALWAYS && (in.mask() & trig) == 0) {
            return in; // this step cannot change the value
        }
        return step(r, i, in);
    }

    /** Applies step {@code i} of {@code r}'s chain to {@code in}, once per input value. */
    private Derived step(CompiledRule r, int i, Derived in) {
        int fid = r.functionIds[i];
        Derived out = in.applied(fid);
        if (out == null) {
            out = in.result(r.transformations[i].apply(in.text), r.caseOnly[i],
                    r.maskTransfer[i] == CharMask.KEEP_SUBSTRING);
            if (out != in && r.maskTransfer[i] != CharMask.KEEP_NONE) {
                long m = CharMask.transfer(r.maskTransfer[i], in.mask()); // no pass over the result
                if (m != -1) {
                    out.knownMask(m);
                }
            }
            if (out != in && out.text.isEmpty()) {
                out = empty; // decoders that find nothing to decode: one value, one scan
            }
            // Past the budget results are recomputed rather than kept: a large value run through
            // many chains must not keep dozens of copies alive for the whole transaction.
            if (out == in || retain(out.text)) {
                in.remember(fid, engine.functionCount(), out);
            }
        }
        return out;
    }

    /** Whether the caches may keep one more value of this length (see {@link #CACHE_BUDGET_CHARS}). */
    private boolean retain(String value) {
        if (retainedChars + value.length() > CACHE_BUDGET_CHARS) {
            return false;
        }
        retainedChars += value.length();
        return true;
    }

    /**
     * What the prefilter says about every member of a collection after one transformation
     * chain: each member's candidate patterns, and their union. A regex rule whose pattern is
     * in no member's set skips the collection with one bit test, and otherwise visits only the
     * members whose set holds it.
     */
    private static final class Summary {
        final BitSet union = new BitSet();
        final BitSet[] members;

        Summary(int size) {
            members = new BitSet[size];
        }
    }

    /**
     * Summaries of one collection by effective chain key: a few dozen at most, so a linear
     * search over a long array beats boxing every key for a hash map.
     */
    private static final class SharedSummaries {
        private long[] keys = new long[8];
        /** The summary of each key once built, else null. */
        Summary[] values = new Summary[8];
        /** The kinds of all members after each key's chain, together, or -1 (see {@link #chainMask}). */
        long[] masks = new long[8];
        private int size;

        /** The index of {@code key}'s entry, added (empty) when absent. */
        int entry(long key) {
            long[] k = keys;
            for (int i = 0; i < size; i++) {
                if (k[i] == key) {
                    return i;
                }
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
                masks = Arrays.copyOf(masks, size * 2);
            }
            keys[size] = key;
            masks[size] = -1;
            return size++;
        }
    }

    /**
     * What {@link #summary} answers, without building or keeping anything, when no member of
     * the collection has the kinds of characters the asking rule's pattern needs: an empty
     * union, valid for that rule only.
     */
    private static final Summary KINDS_MISSING = new Summary(0);

    /**
     * The summary of target {@code t}'s collection under {@code r}'s chain, or null when {@code r}
     * is not prefiltered or the collection changes while the phase runs.
     */
    private Summary summary(CompiledRule r, CompiledRule.CompiledTarget t) {
        if (!r.filtered || r.negated || t.collectionId < 0) {
            return null;
        }
        Summary sum = summaries[t.summarySlot];
        if (sum == null) {
            KV[] members = members(t);
            // Chains that act alike on every member of this collection share one summary.
            long key = effectiveChain(r, collectionMask(t.collectionId, members));
            SharedSummaries shared = sharedSummaries[t.collectionId];
            if (shared == null) {
                shared = new SharedSummaries();
                sharedSummaries[t.collectionId] = shared;
            }
            int entry = key == -1 ? -1 : shared.entry(key);
            sum = entry < 0 ? null : shared.values[entry];
            if (sum == null && r.requiredKinds != null) {
                // Chains with one effective key leave the members alike but for ASCII case,
                // which no required character depends on: they share the mask as well.
                long m = entry < 0 ? -1 : shared.masks[entry];
                if (m == -1) {
                    m = chainMask(r, members);
                    if (entry >= 0) {
                        shared.masks[entry] = m;
                    }
                }
                if (!CharMask.meets(m, r.requiredKinds)) {
                    return KINDS_MISSING; // spare the scans: no member has the characters r needs
                }
            }
            if (sum == null) {
                sum = new Summary(members.length);
                for (int i = 0; i < sum.members.length; i++) {
                    Derived raw = members[i].derived();
                    BitSet c = r.multiMatch ? multiMatchCandidates(r, raw)
                            : chainOutput(r, raw).candidates(engine, scanner);
                    sum.members[i] = c;
                    sum.union.or(c);
                }
                if (entry >= 0) {
                    shared.values[entry] = sum;
                }
            }
            summaries[t.summarySlot] = sum;
        }
        return sum;
    }

    /**
     * The kinds of characters of all members after {@code r}'s chain, together. Cheaper than a
     * summary (no scan), and enough to rule out a pattern whose required characters no member
     * has.
     */
    private long chainMask(CompiledRule r, KV[] members) {
        long m = 0;
        for (KV member : members) {
            m |= chainOutput(r, member.derived()).mask();
        }
        return m;
    }

    /**
     * What {@code r}'s chain makes of {@code raw}, as far as its scan and its required kinds
     * go: {@code raw} itself when the chain can change nothing but ASCII letter case (one mask
     * test, no walk; see {@link CompiledRule#touchMask}), else the transformed value.
     */
    private Derived chainOutput(CompiledRule r, Derived raw) {
        return (raw.mask() & r.touchMask) == 0 ? raw : transform(r, raw);
    }

    /** The character kinds of all members of a collection together, computed once per population. */
    private long collectionMask(int collectionId, KV[] members) {
        long m = collectionMasks[collectionId];
        if (m == -1) {
            m = 0;
            for (KV member : members) {
                m |= member.derived().mask();
            }
            collectionMasks[collectionId] = m;
        }
        return m;
    }

    /**
     * The steps of {@code r}'s chain that can act on some value with character kinds within
     * {@code mask}, packed as function ids (six bits each, bit 63 for multiMatch). Steps before
     * the first one that really changes a value are dropped when their trigger characters are
     * absent, and leading case-only steps when nothing follows them (the scan folds ASCII case);
     * from the first real step on, every step counts, since its output may hold any character.
     * Two chains with the same key give every such value the same candidate set. -1 when the
     * chain does not fit the packing (then the rule's summary is not shared).
     */
    private long effectiveChain(CompiledRule r, long mask) {
        if (engine.functionCount() >= 63 || r.triggers.length > 10) {
            return -1;
        }
        long key = 0;
        long pendingCase = 0;
        boolean real = false;
        for (int i = 0; i < r.triggers.length; i++) {
            long trig = r.triggers[i];
            if (!real && trig != CharMask.ALWAYS && (mask & trig) == 0) {
                continue;
            }
            if (!real && r.caseOnly[i] && (mask & CharMask.NON_ASCII) == 0) {
                mask |= CharMask.UPPER | CharMask.LOWER;
                pendingCase = (pendingCase << 6) | (r.functionIds[i] + 1);
                continue;
            }
            if (!real) {
                real = true;
                key = pendingCase;
            }
            key = (key << 6) | (r.functionIds[i] + 1);
        }
        return (real ? key : 0) | (r.multiMatch ? Long.MIN_VALUE : 0);
    }

    /**
     * The union of the summaries of all of {@code r}'s targets (all whole, summarisable
     * collections), shared by every rule with the same target list and chain. Only filtered,
     * non-negated rules have a gate, so every target has a summary.
     */
    private BitSet gate(CompiledRule r) {
        BitSet g = gates[r.gateSlot];
        if (g == null) {
            g = new BitSet();
            boolean complete = true;
            for (CompiledRule.CompiledTarget t : r.targetArray) {
                if (members(t).length == 0) {
                    continue;
                }
                Summary sum = summary(r, t);
                complete &= sum != KINDS_MISSING;
                g.or(sum.union);
            }
            if (complete) {
                gates[r.gateSlot] = g; // a union without r's kind shortcut holds for every rule of the slot
            }
        }
        return g;
    }

    /** Drops what was derived from the collections; called whenever they are (re)populated. */
    private void forgetSummaries() {
        Arrays.fill(summaries, null);
        Arrays.fill(sharedSummaries, null);
        Arrays.fill(collectionMasks, -1);
        Arrays.fill(membersById, null);
        Arrays.fill(selections, null);
        Arrays.fill(gates, null);
    }

    /** The patterns any of the values a multiMatch rule tests (the input, then each step's output) may match. */
    private BitSet multiMatchCandidates(CompiledRule r, Derived raw) {
        BitSet own = raw.candidates(engine, scanner);
        BitSet c = own;
        Derived v = raw;
        for (int i = 0; i < r.transformations.length; i++) {
            Derived next = triggeredStep(r, i, v);
            if (next != v && next.scanSource != v.scanSource) {
                if (c == own) {
                    c = (BitSet) c.clone(); // never change a value's own set
                }
                c.or(next.candidates(engine, scanner));
            }
            v = next;
        }
        return c;
    }

    private boolean operatorMatches(CompiledRule r, Derived value) {
        if (r.byteRangeSafeKinds != 0 && (value.mask() & ~r.byteRangeSafeKinds) == 0) {
            return r.negated; // every character of the value is an allowed byte
        }
        if (r.requiredKinds != null && !CharMask.meets(value.mask(), r.requiredKinds)) {
            return r.negated; // the value lacks a kind of character every match needs
        }
        if (r.filtered && !value.candidates(engine, scanner).get(r.prefilterId)) {
            return r.negated; // the pattern cannot match: its required literals are absent
        }
        return r.operator.matches(value.text, this) != r.negated;
    }

    // ---------------------------------------------------------------- actions

    private void setVar(SetVar sv) {
        String name = expand(sv.name()).toLowerCase(Locale.ROOT);
        switch (sv.op()) {
            case DELETE:
                tx.remove(name);
                break;
            case SET:
                tx.put(name, expand(sv.value()));
                break;
            case ADD:
            case SUBTRACT:
                long cur = number(tx.get(name));
                long delta = number(expand(sv.value()));
                long v = sv.op() == SetVar.Op.ADD ? cur + delta : cur - delta;
                tx.put(name, Long.toString(v));
                break;
            default:
                break;
        }
    }

    private static long number(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void ctl(Ctl ctl) {
        String d = ctl.directive().toLowerCase(Locale.ROOT);
        String v = expand(ctl.value());
        switch (d) {
            case "ruleremovebyid":
                removedIds = removedIds.with(v);
                break;
            case "ruleremovebytag":
                if (removedTags == null) {
                    removedTags = new HashSet<>();
                }
                removedTags.add(v.toLowerCase(Locale.ROOT));
                break;
            case "ruleremovetargetbyid":
            case "ruleremovetargetbytag": {
                int semi = v.indexOf(';');
                if (semi < 0) {
                    return;
                }
                String what = v.substring(0, semi).trim();
                CompiledRule.CompiledTarget target = new CompiledRule.CompiledTarget(Target.parse(v.substring(semi + 1)));
                if (d.equals("ruleremovetargetbyid")) {
                    if (removedTargetsById == null) {
                        removedTargetsById = new HashMap<>();
                    }
                    try {
                        removedTargetsById.computeIfAbsent(Long.parseLong(what), k -> new ArrayList<>()).add(target);
                    } catch (NumberFormatException e) {
                        LOG.debug("ignoring ctl with a bad rule id: {}", v);
                    }
                } else {
                    if (removedTargetsByTag == null) {
                        removedTargetsByTag = new HashMap<>();
                    }
                    removedTargetsByTag.computeIfAbsent(what.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(target);
                }
                break;
            }
            case "ruleengine":
                try {
                    Mode m = Mode.parse(v);
                    // A rule can only relax a transaction within what the WAF's own mode allows.
                    if (mode == Mode.ON || m == Mode.OFF) {
                        mode = m;
                    }
                } catch (IllegalArgumentException e) {
                    LOG.debug("ignoring ctl ruleEngine={}", v);
                }
                break;
            case "requestbodyaccess":
                bodyAccess = !v.equalsIgnoreCase("off") && !v.equalsIgnoreCase("false");
                break;
            case "requestbodyprocessor":
                try {
                    forcedProcessor = BodyProcessor.valueOf(v.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    LOG.debug("ignoring ctl requestBodyProcessor={}", v);
                }
                break;
            default:
                // auditEngine, auditLogParts, debugLogLevel and the like do not change matching.
                break;
        }
    }

    // ---------------------------------------------------------------- MatchContext

    @Override
    public String expand(String text) {
        if (text == null) {
            return "";
        }
        int start = MatchContext.nextMacro(text, 0);
        if (start < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        int pos = 0;
        while (start >= 0) {
            int end = text.indexOf('}', start + 2);
            sb.append(text, pos, start);
            sb.append(resolveMacro(text.substring(start + 2, end).trim()));
            pos = end + 1;
            start = MatchContext.nextMacro(text, pos);
        }
        sb.append(text, pos, text.length());
        return sb.toString();
    }

    private String resolveMacro(String name) {
        int dot = name.indexOf('.');
        String collection = (dot < 0 ? name : name.substring(0, dot)).toUpperCase(Locale.ROOT);
        String key = dot < 0 ? null : name.substring(dot + 1);
        if (collection.equals("TX")) {
            String v = key == null ? null : tx.get(key.toLowerCase(Locale.ROOT));
            return v == null ? "" : v;
        }
        if (collection.equals("RULE")) {
            CompiledRule r = currentRule;
            if (r == null || key == null) {
                return "";
            }
            switch (key.toLowerCase(Locale.ROOT)) {
                case "id": return Long.toString(r.reportId);
                case "msg": return r.rule.message();
                case "severity": return r.rule.severity() == null ? "" : r.rule.severity().name();
                case "logdata": return r.rule.logData();
                default: return "";
            }
        }
        for (KV kv : members(collection)) {
            if (key == null || (kv.key() != null && kv.key().equalsIgnoreCase(key))) {
                return kv.value();
            }
        }
        return "";
    }

    @Override
    public boolean captureEnabled() {
        return currentRule != null && currentRule.rule.capture();
    }

    @Override
    public void capture(int index, String value) {
        if (index >= 0 && index <= 9) {
            tx.put(Integer.toString(index), value == null ? "" : value);
        }
    }

    // ---------------------------------------------------------------- audit

    private void audit() {
        List<AuditSink> sinks = engine.auditSinks();
        if (sinks.isEmpty()) {
            return;
        }
        boolean interesting = !matches.isEmpty() || interruption != null || detected != null || ruleError;
        if (!interesting && !engine.settings().auditAll()) {
            return;
        }
        Verdict v = interruption != null ? interruption : detected;
        String action;
        int status = 0;
        long ruleId = 0;
        String reason = null;
        if (v == null) {
            action = "pass";
            status = responseStatus;
        } else {
            String kind;
            if (v instanceof Verdict.Deny d) {
                kind = "deny";
                status = d.status();
                ruleId = d.ruleId();
                reason = d.ruleId() == 0 ? d.reason() : null;
            } else if (v instanceof Verdict.Drop d) {
                kind = "drop";
                ruleId = d.ruleId();
            } else if (v instanceof Verdict.Redirect d) {
                kind = "redirect";
                status = d.status();
                ruleId = d.ruleId();
            } else {
                kind = "pass";
            }
            action = interruption != null ? kind : "detected-" + kind;
        }
        AuditEvent event = new AuditEvent(Instant.now(), id, clientAddress, method, SecretMasker.maskAndTruncate(rawUri, 2048),
                mode.name(), action, status, ruleId, inboundScore, outboundScore, matches,
                (System.nanoTime() - startNanos) / 1000, reason);
        for (AuditSink sink : sinks) {
            try {
                sink.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("audit sink failed for transaction {}: {}", id, e.toString());
            }
        }
    }
}

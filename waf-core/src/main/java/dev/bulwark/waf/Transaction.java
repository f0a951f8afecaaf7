package dev.bulwark.waf;

import java.util.List;

/**
 * One request/response exchange being inspected, driven phase by phase by a connector (the
 * Servlet filter, the proxy, or your own code). Not thread-safe: use it from one thread at a
 * time. Close it when the exchange ends; closing runs the logging phase and emits the audit event.
 *
 * <pre>{@code
 * try (Transaction tx = waf.newTransaction()) {
 *     tx.connection("203.0.113.9", 51234, "10.0.0.5", 8080);
 *     tx.requestLine("GET", "/search?q=x", "HTTP/1.1");
 *     tx.requestHeader("Host", "example.com");
 *     Verdict v = tx.processRequestHeaders();
 *     if (v.interrupts()) { ...answer with v... }
 *     v = tx.requestBody(bytes, 0, bytes.length);   // may interrupt with 413
 *     v = tx.processRequestBody();
 *     ...
 * }
 * }</pre>
 *
 * <p>A phase method called twice or out of order returns the current verdict without running
 * rules again. Once a verdict interrupts, later phases return it unchanged.
 */
public interface Transaction extends AutoCloseable {

    /** The unique id of this transaction (also shown on block pages and in audit events). */
    String id();

    /** Sets the client and server addresses (phase 1 input). */
    void connection(String clientAddress, int clientPort, String serverAddress, int serverPort);

    /**
     * Sets the request line.
     *
     * @param method the method, as received
     * @param rawUri the request target as received: path and query, percent-encoding intact
     * @param protocol for example {@code HTTP/1.1}
     */
    void requestLine(String method, String rawUri, String protocol);

    /** Adds one request header (call once per header line; repeated names are kept). */
    void requestHeader(String name, String value);

    /** Runs phase 1 rules (request line, URI, arguments, headers, cookies). */
    Verdict processRequestHeaders();

    /**
     * Whether the engine wants the request body; false when the mode is {@code OFF} or a rule
     * turned body access off. The connector may then forward the body without buffering it.
     */
    boolean wantsRequestBody();

    /**
     * Appends a chunk of the request body. Returns an interrupting verdict (413) when the body
     * exceeds the limits and the limit action is {@code REJECT}; bytes past the inspection limit
     * are otherwise counted but not kept.
     */
    Verdict requestBody(byte[] data, int offset, int length);

    /**
     * Parses the buffered body (form, multipart, JSON, XML) and runs phase 2 rules. A body with
     * a {@code Content-Encoding} (gzip, deflate, br) is decoded for inspection first; the
     * connector forwards the bytes as received. May interrupt with 415 (an unknown coding),
     * 400 (corrupt compressed data), 413 (a compression bomb, or a decoded body past the
     * inspection limit when the limit action is {@code REJECT}) or 503 (brotli decoders busy).
     */
    Verdict processRequestBody();

    /** Runs phase 3 rules over the response status and headers. */
    Verdict processResponseHeaders(int status, List<java.util.Map.Entry<String, String>> headers);

    /** Appends a chunk of the response body (up to the response inspection limit). */
    void responseBody(byte[] data, int offset, int length);

    /** Runs phase 4 rules over the buffered response body. */
    Verdict processResponseBody();

    /** The current verdict. */
    Verdict verdict();

    /**
     * In {@link Mode#DETECTION_ONLY}, the verdict that would have interrupted the transaction, if
     * any; otherwise null.
     */
    Verdict detectedVerdict();

    /** All rule matches so far, in order. */
    List<RuleMatch> matches();

    /** The current inbound anomaly score. */
    int inboundAnomalyScore();

    /** Runs the logging phase and emits the audit event. Idempotent; never throws. */
    @Override
    void close();
}

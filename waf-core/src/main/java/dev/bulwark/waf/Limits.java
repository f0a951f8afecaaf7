package dev.bulwark.waf;

/**
 * Bounds on what the engine accepts and inspects. What happens past a body limit is set by
 * {@link #onBodyLimit()}: {@link BodyLimitAction#REJECT} answers 413,
 * {@link BodyLimitAction#INSPECT_PARTIAL} inspects the part that fits and lets the rest through
 * uninspected (the connector still forwards the whole body).
 *
 * @param maxRequestBodyBytes largest request body accepted (default 10 MiB)
 * @param maxInspectedBodyBytes largest request body prefix that is parsed and inspected (default 1 MiB)
 * @param maxResponseBodyBytes largest response body prefix that is inspected (default 512 KiB)
 * @param maxArgs most arguments (query + body) accepted (default 1000)
 * @param maxJsonDepth deepest JSON/XML nesting accepted (default 64)
 * @param maxMultipartParts most multipart parts accepted (default 200)
 * @param maxHeaderCount most request headers accepted (default 100)
 * @param onBodyLimit what to do when a body is larger than the inspected size
 * @param maxDecompressionRatio largest decoded/compressed size ratio of a {@code Content-Encoding}
 *        request body once its decoded size passes 1 MiB (default 100); past it the body is a
 *        compression bomb and is answered 413 whatever {@code onBodyLimit} says. The decoded size
 *        itself is bounded by {@code maxInspectedBodyBytes} like a plain body.
 * @param maxInFlightBodyBytes most memory all request bodies being buffered at the same time may
 *        hold together, in one filter or proxy (default: a quarter of the maximum heap, at most
 *        256 MiB); a body that cannot get its share waits briefly, then is answered 503
 */
public record Limits(long maxRequestBodyBytes, int maxInspectedBodyBytes, int maxResponseBodyBytes,
                     int maxArgs, int maxJsonDepth, int maxMultipartParts, int maxHeaderCount,
                     BodyLimitAction onBodyLimit, int maxDecompressionRatio, long maxInFlightBodyBytes) {

    /** Default for {@link #maxDecompressionRatio()}. */
    public static final int DEFAULT_MAX_DECOMPRESSION_RATIO = 100;

    /** What to do with a body larger than the inspection limit. */
    public enum BodyLimitAction {
        /** Answer 413 Payload Too Large (the secure default). */
        REJECT,
        /** Inspect the first {@code maxInspectedBodyBytes} bytes and pass the rest uninspected. */
        INSPECT_PARTIAL
    }

    public Limits {
        positive("maxRequestBodyBytes", maxRequestBodyBytes);
        positive("maxInspectedBodyBytes", maxInspectedBodyBytes);
        positive("maxResponseBodyBytes", maxResponseBodyBytes);
        positive("maxArgs", maxArgs);
        positive("maxJsonDepth", maxJsonDepth);
        positive("maxMultipartParts", maxMultipartParts);
        positive("maxHeaderCount", maxHeaderCount);
        positive("maxInFlightBodyBytes", maxInFlightBodyBytes);
        if (onBodyLimit == null) {
            throw new IllegalArgumentException("onBodyLimit must be set");
        }
        positive("maxDecompressionRatio", maxDecompressionRatio);
        if (maxInspectedBodyBytes > maxRequestBodyBytes) {
            throw new IllegalArgumentException("maxInspectedBodyBytes (" + maxInspectedBodyBytes
                    + ") must not exceed maxRequestBodyBytes (" + maxRequestBodyBytes + ")");
        }
    }

    /** The limits given, with the default {@link #maxDecompressionRatio()} and {@link #maxInFlightBodyBytes()}. */
    public Limits(long maxRequestBodyBytes, int maxInspectedBodyBytes, int maxResponseBodyBytes, int maxArgs,
                  int maxJsonDepth, int maxMultipartParts, int maxHeaderCount, BodyLimitAction onBodyLimit) {
        this(maxRequestBodyBytes, maxInspectedBodyBytes, maxResponseBodyBytes, maxArgs, maxJsonDepth,
                maxMultipartParts, maxHeaderCount, onBodyLimit, DEFAULT_MAX_DECOMPRESSION_RATIO,
                defaultInFlightBodyBytes());
    }

    /**
     * A quarter of the heap, at most 256 MiB: bodies are not the only thing in memory (rule sets,
     * connections, response buffers), and 256 MiB is 25 maximal 10 MiB bodies at once.
     */
    static long defaultInFlightBodyBytes() {
        return Math.max(1L << 20, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));
    }

    /** The defaults described on each component. */
    public static Limits defaults() {
        return new Limits(10L << 20, 1 << 20, 512 << 10, 1000, 64, 200, 100, BodyLimitAction.REJECT);
    }

    public Limits withMaxRequestBodyBytes(long v) {
        return new Limits(v, (int) Math.min(maxInspectedBodyBytes, v), maxResponseBodyBytes, maxArgs, maxJsonDepth,
                maxMultipartParts, maxHeaderCount, onBodyLimit, maxDecompressionRatio, maxInFlightBodyBytes);
    }

    public Limits withMaxInspectedBodyBytes(int v) {
        return new Limits(maxRequestBodyBytes, v, maxResponseBodyBytes, maxArgs, maxJsonDepth, maxMultipartParts,
                maxHeaderCount, onBodyLimit, maxDecompressionRatio, maxInFlightBodyBytes);
    }

    public Limits withOnBodyLimit(BodyLimitAction v) {
        return new Limits(maxRequestBodyBytes, maxInspectedBodyBytes, maxResponseBodyBytes, maxArgs, maxJsonDepth,
                maxMultipartParts, maxHeaderCount, v, maxDecompressionRatio, maxInFlightBodyBytes);
    }

    public Limits withMaxDecompressionRatio(int v) {
        return new Limits(maxRequestBodyBytes, maxInspectedBodyBytes, maxResponseBodyBytes, maxArgs, maxJsonDepth,
                maxMultipartParts, maxHeaderCount, onBodyLimit, v, maxInFlightBodyBytes);
    }

    public Limits withMaxInFlightBodyBytes(long v) {
        return new Limits(maxRequestBodyBytes, maxInspectedBodyBytes, maxResponseBodyBytes, maxArgs, maxJsonDepth,
                maxMultipartParts, maxHeaderCount, onBodyLimit, maxDecompressionRatio, v);
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }
}

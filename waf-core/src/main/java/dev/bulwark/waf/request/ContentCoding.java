package dev.bulwark.waf.request;

import dev.bulwark.waf.internal.Ascii;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.brotli.dec.BrotliInputStream;

/**
 * Undoes the {@code Content-Encoding} of a buffered request body so that rules inspect what an
 * application behind a decompressing server sees. Only the inspected copy is decoded; the
 * connector forwards the original bytes.
 *
 * <p>Codings: {@code gzip}/{@code x-gzip} (concatenated members, CRC and size checked),
 * {@code deflate} as zlib or as raw deflate (servers accept both), {@code br} (window of at most
 * 4 MiB, the encoders' default), {@code identity}. Several codings (one header listing them, or
 * several headers) were applied in the listed order and are undone in reverse, at most
 * {@link #MAX_LAYERS} of them.
 *
 * <p>Bounds: every layer writes into a buffer that grows with the bytes actually produced (never
 * with a size the stream declares) and stops at {@code maxOutput}; a layer whose output passes
 * {@link #RATIO_FLOOR} bytes while being more than {@code maxRatio} times the compressed bytes it
 * has consumed is stopped as a bomb. So the work and memory per body are bounded by the limits,
 * whatever the stream claims.
 */
public final class ContentCoding {

    /** Most non-identity codings undone for one body; more are refused as unsupported. */
    public static final int MAX_LAYERS = 3;
    /** Output size below which the ratio cap does not apply (small bodies compress very well). */
    public static final int RATIO_FLOOR = 1 << 20;
    /** Largest brotli window accepted (lgwin 22): the decoder allocates its window up front. */
    static final int MAX_BROTLI_WINDOW_BITS = 22;
    /** Brotli decoders running at once: each may hold a window of 4 MiB regardless of input size. */
    private static final Semaphore BROTLI = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));
    private static final long BROTLI_WAIT_MILLIS = 2000;

    /** What decoding a body came to. */
    public enum Outcome {
        /** No coding (or only {@code identity}): the body is inspected as it is. */
        IDENTITY,
        /** Decoded completely (or up to the end of a body the engine had already cut). */
        DECODED,
        /** The decoded body is longer than {@code maxOutput}; the result holds its first bytes. */
        OUTPUT_LIMIT,
        /** Output more than {@code maxRatio} times the input past {@link #RATIO_FLOOR}: a bomb. */
        RATIO,
        /** An unknown coding, too many layers, or a brotli window above 4 MiB. */
        UNSUPPORTED,
        /** Malformed compressed data, a bad checksum, or data after the end of the stream. */
        CORRUPT,
        /** Too many brotli bodies were being decoded at once for too long. */
        BUSY
    }

    /**
     * The decoded body. For {@link Outcome#IDENTITY} {@code data} is the input array itself and
     * the body is {@code data[offset, offset+length)}; for the other outcomes {@code offset} is 0
     * ({@code data} is empty when nothing was decoded).
     *
     * @param outcome what happened
     * @param data    the bytes to inspect
     * @param offset  start of the body in {@code data}
     * @param length  length of the body in {@code data}
     * @param codings the non-identity codings in the order they were applied (lower case)
     * @param detail  a short reason for the non-success outcomes (no body text), else null
     */
    public record Result(Outcome outcome, byte[] data, int offset, int length, List<String> codings, String detail) {
    }

    private ContentCoding() {
    }

    /**
     * The codings named by the {@code Content-Encoding} header values, in the order they were
     * applied, lower-cased, without {@code identity} and empty list elements.
     */
    public static List<String> codings(List<String> headerValues) {
        List<String> out = new ArrayList<>();
        if (headerValues == null) {
            return out;
        }
        for (String value : headerValues) {
            if (value == null) {
                continue;
            }
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                String t = Ascii.lower(value.substring(start, end).strip());
                if (!t.isEmpty() && !t.equals("identity")) {
                    out.add(t);
                }
                start = end + 1;
            }
        }
        return out;
    }


    /**
     * Decodes {@code body[offset, offset+length)} according to the {@code Content-Encoding} header
     * values. Never throws on bad input.
     *
     * @param headerValues   every {@code Content-Encoding} header value, in header order
     * @param inputTruncated whether the engine kept only a prefix of the body: a stream that ends
     *                       early is then decoded as far as it goes instead of being corrupt
     * @param maxOutput      most decoded bytes kept (per layer)
     * @param maxRatio       largest decoded/compressed ratio past {@link #RATIO_FLOOR}
     */
    public static Result decode(List<String> headerValues, byte[] body, int offset, int length,
                                boolean inputTruncated, int maxOutput, int maxRatio) {
        List<String> codings = List.copyOf(codings(headerValues));
        if (codings.isEmpty()) {
            return new Result(Outcome.IDENTITY, body, offset, length, codings, null);
        }
        if (codings.size() > MAX_LAYERS) {
            return fail(Outcome.UNSUPPORTED, codings, "more than " + MAX_LAYERS + " content codings");
        }
        for (String c : codings) {
            if (!isSupported(c)) {
                return fail(Outcome.UNSUPPORTED, codings, "unsupported content coding '" + printable(c) + "'");
            }
        }
        byte[] in = body;
        int inOffset = offset;
        int inLength = length;
        boolean truncated = inputTruncated;
        Outcome outcome = Outcome.DECODED;
        String detail = null;
        for (int i = codings.size() - 1; i >= 0; i--) {
            Layer layer = new Layer(maxOutput, maxRatio, truncated);
            Outcome o;
            try {
                o = layer.run(codings.get(i), in, inOffset, inLength);
            } catch (Corrupt e) {
                return fail(Outcome.CORRUPT, codings, codings.get(i) + ": " + e.getMessage());
            } catch (RuntimeException | IOException | DataFormatException e) {
                // The decoders signal bad data with exceptions; their messages may echo nothing
                // useful and are not shown.
                return fail(Outcome.CORRUPT, codings, codings.get(i) + ": malformed data");
            }
            if (o == Outcome.RATIO || o == Outcome.UNSUPPORTED || o == Outcome.BUSY || o == Outcome.CORRUPT) {
                return fail(o, codings, codings.get(i) + ": " + layer.detail);
            }
            if (o == Outcome.OUTPUT_LIMIT) {
                outcome = Outcome.OUTPUT_LIMIT;
                detail = "decoded body larger than " + maxOutput + " bytes";
                truncated = true;
            }
            in = layer.out;
            inOffset = 0;
            inLength = layer.n;
        }
        return new Result(outcome, in, 0, inLength, codings, detail);
    }

    private static boolean isSupported(String coding) {
        switch (coding) {
            case "gzip":
            case "x-gzip":
            case "deflate":
            case "br":
                return true;
            default:
                return false;
        }
    }

    private static Result fail(Outcome outcome, List<String> codings, String detail) {
        return new Result(outcome, new byte[0], 0, 0, codings, detail);
    }

    /** The coding name for a message: printable ASCII only, at most 40 chars. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 40; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return sb.toString();
    }

    /** Malformed input with a short, body-free reason. */
    private static final class Corrupt extends Exception {
        Corrupt(String message) {
            super(message, null, false, false);
        }
    }

    /** One decoding step into a growing, capped buffer. */
    private static final class Layer {
        private final int maxOutput;
        private final int maxRatio;
        private final boolean truncated;
        byte[] out = new byte[0];
        int n;
        String detail;

        Layer(int maxOutput, int maxRatio, boolean truncated) {
            this.maxOutput = maxOutput;
            this.maxRatio = maxRatio;
            this.truncated = truncated;
        }

        Outcome run(String coding, byte[] in, int offset, int length)
                throws Corrupt, IOException, DataFormatException {
            switch (coding) {
                case "gzip":
                case "x-gzip":
                    return gzip(in, offset, length);
                case "deflate":
                    return deflate(in, offset, length);
                default:
                    return brotli(in, offset, length);
            }
        }

        /**
         * Room for at least one more byte, or false when {@code maxOutput} is reached. Grows by
         * doubling from a small start, so the buffer is never more than twice what was produced.
         */
        private boolean room() {
            if (n < out.length) {
                return true;
            }
            if (n >= maxOutput) {
                return false;
            }
            int size = (int) Math.min(maxOutput, Math.max(4096L, 2L * out.length));
            out = Arrays.copyOf(out, size);
            return true;
        }

        /** Whether {@code n} output bytes from {@code consumed} input bytes look like a bomb. */
        private boolean bomb(long consumed) {
            if (n > RATIO_FLOOR && n > (long) maxRatio * Math.max(1, consumed)) {
                detail = "decompression ratio above " + maxRatio;
                return true;
            }
            return false;
        }

        // ---- gzip (RFC 1952) and deflate (RFC 1950 zlib or RFC 1951 raw) ----

        private Outcome gzip(byte[] in, int offset, int length) throws Corrupt, DataFormatException {
            int end = offset + length;
            int pos = offset;
            long consumedBefore = 0;
            Inflater inf = new Inflater(true);
            CRC32 crc = new CRC32();
            try {
                while (true) {
                    int data = gzipHeader(in, pos, end);
                    if (data < 0) {
                        return endedEarly("truncated gzip header");
                    }
                    inf.reset();
                    crc.reset();
                    inf.setInput(in, data, end - data);
                    long memberStart = n;
                    Outcome o = inflate(inf, crc, consumedBefore + (data - pos), false);
                    if (o != null) {
                        return o;
                    }
                    int after = end - inf.getRemaining();
                    if (after + 8 > end) {
                        return endedEarly("truncated gzip trailer");
                    }
                    if ((int) crc.getValue() != le32(in, after)
                            || (int) (n - memberStart) != le32(in, after + 4)) {
                        throw new Corrupt("gzip checksum or size mismatch");
                    }
                    consumedBefore += after + 8 - pos;
                    pos = after + 8;
                    if (pos == end || allZero(in, pos, end)) {
                        return Outcome.DECODED;
                    }
                    // Another member follows (gzip files may be concatenated); anything else is
                    // data a decompressing server would reject or ignore: refuse it.
                    if (end - pos < 2 || (in[pos] & 0xFF) != 0x1F || (in[pos + 1] & 0xFF) != 0x8B) {
                        throw new Corrupt("data after the gzip stream");
                    }
                }
            } finally {
                inf.end();
            }
        }

        private Outcome deflate(byte[] in, int offset, int length) throws Corrupt, DataFormatException {
            boolean zlib = length >= 2 && (in[offset] & 0x0F) == 8 && (in[offset] & 0xFF) >>> 4 <= 7
                    && ((in[offset] & 0xFF) * 256 + (in[offset + 1] & 0xFF)) % 31 == 0;
            if (!zlib) {
                return deflate(in, offset, length, false);
            }
            try {
                return deflate(in, offset, length, true);
            } catch (Corrupt | DataFormatException e) {
                // A raw stream can start with bytes that read as a zlib header (a non-final
                // stored block with set padding bits): servers that accept both retry it raw.
                n = 0;
                detail = null;
                return deflate(in, offset, length, false);
            }
        }

        private Outcome deflate(byte[] in, int offset, int length, boolean zlib) throws Corrupt, DataFormatException {
            Inflater inf = new Inflater(!zlib);
            try {
                int end = offset + length;
                inf.setInput(in, offset, length);
                Outcome o = inflate(inf, null, 0, !zlib);
                if (o != null) {
                    return o;
                }
                if (inf.getRemaining() > 0 && !allZero(in, end - inf.getRemaining(), end)) {
                    throw new Corrupt("data after the deflate stream");
                }
                return Outcome.DECODED;
            } finally {
                inf.end();
            }
        }

        /**
         * Inflates until the stream ends (null: go on with the trailer) or a bound, the end of the
         * input or an error stops it (the outcome).
         */
        private Outcome inflate(Inflater inf, CRC32 crc, long consumedBefore, boolean raw)
                throws Corrupt, DataFormatException {
            boolean dummyGiven = false;
            byte[] one = null;
            while (!inf.finished()) {
                if (!room()) {
                    // At maxOutput: one more byte means the body is longer than what is kept.
                    one = one == null ? new byte[1] : one;
                    if (inf.inflate(one) > 0) {
                        return Outcome.OUTPUT_LIMIT;
                    }
                } else {
                    int r = inf.inflate(out, n, out.length - n);
                    if (r > 0) {
                        if (crc != null) {
                            crc.update(out, n, r);
                        }
                        n += r;
                        if (bomb(consumedBefore + inf.getBytesRead())) {
                            return Outcome.RATIO;
                        }
                        continue;
                    }
                }
                if (inf.finished()) {
                    break;
                }
                if (inf.needsDictionary()) {
                    throw new Corrupt("preset dictionary required");
                }
                if (inf.needsInput()) {
                    // zlib may want one byte past a raw stream's end to finish it.
                    if (raw && !dummyGiven) {
                        dummyGiven = true;
                        inf.setInput(new byte[1]);
                        continue;
                    }
                    return endedEarly("compressed data ends early");
                }
            }
            return null;
        }

        /** A stream cut by the engine ends where the kept bytes end; otherwise it is corrupt. */
        private Outcome endedEarly(String why) throws Corrupt {
            if (truncated) {
                return Outcome.DECODED;
            }
            throw new Corrupt(why);
        }

        /** Start of the deflate data after a gzip member header at {@code p}, or -1 if cut short. */
        private static int gzipHeader(byte[] b, int p, int end) throws Corrupt {
            if (end - p < 10) {
                if (end - p >= 2 && ((b[p] & 0xFF) != 0x1F || (b[p + 1] & 0xFF) != 0x8B)) {
                    throw new Corrupt("not gzip data");
                }
                return -1;
            }
            if ((b[p] & 0xFF) != 0x1F || (b[p + 1] & 0xFF) != 0x8B) {
                throw new Corrupt("not gzip data");
            }
            if (b[p + 2] != 8) {
                throw new Corrupt("unknown gzip compression method");
            }
            int flags = b[p + 3] & 0xFF;
            if ((flags & 0xE0) != 0) {
                throw new Corrupt("reserved gzip flags set");
            }
            int q = p + 10;
            if ((flags & 0x04) != 0) { // FEXTRA
                if (end - q < 2) {
                    return -1;
                }
                q += 2 + ((b[q] & 0xFF) | (b[q + 1] & 0xFF) << 8);
            }
            if ((flags & 0x08) != 0) { // FNAME
                q = afterZero(b, q, end);
            }
            if ((flags & 0x10) != 0) { // FCOMMENT
                q = afterZero(b, q, end);
            }
            if ((flags & 0x02) != 0) { // FHCRC
                q += 2;
            }
            return q < 0 || q > end ? -1 : q;
        }

        private static int afterZero(byte[] b, int q, int end) {
            if (q < 0) {
                return -1;
            }
            for (int i = q; i < end; i++) {
                if (b[i] == 0) {
                    return i + 1;
                }
            }
            return -1;
        }

        private static int le32(byte[] b, int p) {
            return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
        }

        private static boolean allZero(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] != 0) {
                    return false;
                }
            }
            return true;
        }

        // ---- brotli (RFC 7932) ----

        private Outcome brotli(byte[] in, int offset, int length) throws Corrupt, IOException {
            int windowBits = brotliWindowBits(in, offset, length);
            if (windowBits == -1) {
                return endedEarly("truncated brotli header");
            }
            if (windowBits < 0) {
                throw new Corrupt("invalid brotli window size");
            }
            if (windowBits > MAX_BROTLI_WINDOW_BITS) {
                detail = "brotli window above " + (1 << MAX_BROTLI_WINDOW_BITS) + " bytes";
                return Outcome.UNSUPPORTED;
            }
            boolean acquired;
            try {
                acquired = BROTLI.tryAcquire(BROTLI_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                acquired = false;
            }
            if (!acquired) {
                detail = "too many brotli bodies being decoded";
                return Outcome.BUSY;
            }
            try {
                Counting src = new Counting(in, offset, length);
                try (InputStream br = new BrotliInputStream(src, 4096)) {
                    while (true) {
                        int r;
                        try {
                            if (!room()) {
                                return br.read() >= 0 ? Outcome.OUTPUT_LIMIT : Outcome.DECODED;
                            }
                            r = br.read(out, n, out.length - n);
                        } catch (IOException e) {
                            // The decoder does not tell a cut stream from a broken one.
                            return endedEarly("malformed data");
                        }
                        if (r < 0) {
                            return Outcome.DECODED;
                        }
                        n += r;
                        if (bomb(src.consumed())) {
                            return Outcome.RATIO;
                        }
                    }
                }
            } finally {
                BROTLI.release();
            }
        }
    }

    /**
     * The WBITS field of a brotli stream header (RFC 7932 section 9.1): -1 when the input is too
     * short to hold it, -2 for the reserved (invalid) pattern. Bits are read least significant first.
     */
    static int brotliWindowBits(byte[] b, int offset, int length) {
        if (length < 1) {
            return -1;
        }
        int v = b[offset] & 0xFF;
        if ((v & 1) == 0) {
            return 16;
        }
        int n = (v >>> 1) & 7;
        if (n != 0) {
            return 17 + n;
        }
        int m = (v >>> 4) & 7;
        if (m == 1) {
            return -2;
        }
        return m == 0 ? 17 : 8 + m;
    }

    /** Input stream over a byte range that counts what the decoder pulled from it. */
    private static final class Counting extends ByteArrayInputStream {
        private final int start;

        Counting(byte[] b, int offset, int length) {
            super(b, offset, length);
            this.start = offset;
        }

        long consumed() {
            return pos - start;
        }
    }
}

package dev.bulwark.waf.request;

import dev.bulwark.waf.testing.Compression;
import static dev.bulwark.waf.testing.Compression.deflate;
import static dev.bulwark.waf.testing.Compression.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bulwark.waf.request.ContentCoding.Outcome;
import dev.bulwark.waf.request.ContentCoding.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentCodingTest {

    static final byte[] FORM = "q=%27+OR+1%3D1--&x=1".getBytes(StandardCharsets.UTF_8);
    static final int MAX = 1 << 20;

    /** {@link #FORM} as brotli (quality 11, window 22), made with Node's zlib: Java has no encoder. */
    static final byte[] BROTLI_FORM = Base64.getDecoder().decode(Compression.BROTLI_FORM_BASE64);

    static Result decode(byte[] body, String... headers) {
        return ContentCoding.decode(List.of(headers), body, 0, body.length, false, MAX, 100);
    }

    static byte[] bytes(Result r) {
        return Arrays.copyOfRange(r.data(), r.offset(), r.offset() + r.length());
    }

    @Test
    void noCodingIsTheBodyItself() {
        Result r = ContentCoding.decode(List.of(), FORM, 0, FORM.length, false, MAX, 100);
        assertEquals(Outcome.IDENTITY, r.outcome());
        assertSame(FORM, r.data());
        assertEquals(Outcome.IDENTITY, decode(FORM, "identity").outcome());
        assertEquals(Outcome.IDENTITY, decode(FORM, " Identity , ").outcome());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "x-gzip", "GZIP", " gzip "})
    void gzipRoundTrip(String name) throws IOException {
        Result r = decode(gzip(FORM), name);
        assertEquals(Outcome.DECODED, r.outcome());
        assertArrayEquals(FORM, bytes(r));
    }

    @Test
    void deflateAcceptsZlibAndRawDeflate() throws IOException {
        for (boolean zlib : new boolean[] {true, false}) {
            Result r = decode(deflate(FORM, zlib), "deflate");
            assertEquals(Outcome.DECODED, r.outcome(), "zlib=" + zlib);
            assertArrayEquals(FORM, bytes(r));
        }
    }

    @Test
    void rawDeflateThatLooksLikeZlibIsRetriedRaw() {
        // Stored block "q" (not final; padding bits 01111 make the first bytes 78 01, a valid
        // zlib header), then a final stored block with the rest.
        byte[] rest = "=%27+OR+1%3D1--".getBytes(StandardCharsets.US_ASCII);
        byte[] raw = new byte[6 + 5 + rest.length];
        byte[] head = {0x78, 0x01, 0x00, (byte) 0xFE, (byte) 0xFF, 'q',
            0x01, (byte) rest.length, 0x00, (byte) ~rest.length, (byte) 0xFF};
        System.arraycopy(head, 0, raw, 0, head.length);
        System.arraycopy(rest, 0, raw, head.length, rest.length);
        Result r = decode(raw, "deflate");
        assertEquals(Outcome.DECODED, r.outcome(), r.detail());
        assertEquals("q=%27+OR+1%3D1--", new String(bytes(r), StandardCharsets.US_ASCII));
    }

    @Test
    void stackedCodingsAreUndoneInReverseOrder() throws IOException {
        // "gzip, deflate": gzip applied first, then deflate.
        byte[] twice = deflate(gzip(FORM), true);
        Result r = decode(twice, "gzip, deflate");
        assertEquals(Outcome.DECODED, r.outcome());
        assertArrayEquals(FORM, bytes(r));
        assertEquals(List.of("gzip", "deflate"), r.codings());
        // The same as two header fields.
        assertArrayEquals(FORM, bytes(decode(twice, "gzip", "deflate")));
        // Applied in the other order the bytes are not deflate data.
        assertEquals(Outcome.CORRUPT, decode(twice, "deflate, gzip").outcome());
    }

    @Test
    void layersAreCapped() throws IOException {
        byte[] b = FORM;
        for (int i = 0; i < 4; i++) {
            b = gzip(b);
        }
        assertEquals(Outcome.UNSUPPORTED, decode(b, "gzip, gzip, gzip, gzip").outcome());
        byte[] three = gzip(gzip(gzip(FORM)));
        assertArrayEquals(FORM, bytes(decode(three, "gzip, gzip, gzip")));
    }

    @Test
    void concatenatedGzipMembersAreAllDecoded() throws IOException {
        byte[] a = gzip("q=safe&".getBytes(StandardCharsets.UTF_8));
        byte[] b = gzip("p=%27+OR+1%3D1--".getBytes(StandardCharsets.UTF_8));
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertEquals("q=safe&p=%27+OR+1%3D1--", new String(bytes(decode(both, "gzip")), StandardCharsets.UTF_8));
    }

    @Test
    void unknownCodingsAreUnsupported() {
        for (String c : new String[] {"compress", "zstd", "x-foo", "gzip;q=1", "gzip, foo"}) {
            Result r = decode(FORM, c);
            assertEquals(Outcome.UNSUPPORTED, r.outcome(), c);
            assertEquals(0, r.length());
        }
        assertFalse(decode(FORM, "x-\u0001evil").detail().contains("\u0001"));
        // Only ASCII case folding: U+0130 lower-cases to "i" plus a combining dot under Unicode rules.
        assertEquals(Outcome.UNSUPPORTED, decode(FORM, "GZ\u0130P").outcome());
    }

    @Test
    void corruptDataIsCorrupt() throws IOException {
        byte[] gz = gzip(FORM);
        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 8] ^= 1;
        byte[] cut = Arrays.copyOf(gz, gz.length - 3);
        byte[] trailing = Arrays.copyOf(gz, gz.length + 3);
        trailing[gz.length] = 'x';
        byte[] garbledData = gz.clone();
        for (int i = 10; i < garbledData.length - 8; i++) {
            garbledData[i] = (byte) 0xFF;
        }
        assertEquals(Outcome.CORRUPT, decode(FORM, "gzip").outcome(), "not gzip at all");
        assertEquals(Outcome.CORRUPT, decode(badCrc, "gzip").outcome(), "bad CRC");
        assertEquals(Outcome.CORRUPT, decode(cut, "gzip").outcome(), "cut short");
        assertEquals(Outcome.CORRUPT, decode(trailing, "gzip").outcome(), "data after the stream");
        assertEquals(Outcome.CORRUPT, decode(garbledData, "gzip").outcome(), "garbled deflate data");
        assertEquals(Outcome.CORRUPT, decode(FORM, "deflate").outcome());
        assertEquals(Outcome.CORRUPT, decode(FORM, "br").outcome());
        assertEquals(Outcome.CORRUPT, decode(new byte[] {0x1F}, "gzip").outcome());
    }

    @Test
    void aBodyTheEngineCutIsDecodedAsFarAsItGoes() throws IOException {
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + (i * 7919 % 26));
        }
        byte[] gz = gzip(big);
        int keep = gz.length / 2;
        Result r = ContentCoding.decode(List.of("gzip"), gz, 0, keep, true, MAX, 100);
        assertEquals(Outcome.DECODED, r.outcome());
        assertTrue(r.length() > 0 && r.length() < big.length);
        assertArrayEquals(Arrays.copyOf(big, r.length()), bytes(r));
    }

    @Test
    void outputIsCappedAtMaxOutput() throws IOException {
        byte[] data = new byte[10_000];
        Arrays.fill(data, (byte) 'a');
        byte[] gz = gzip(data);
        Result r = ContentCoding.decode(List.of("gzip"), gz, 0, gz.length, false, 4096, 100);
        assertEquals(Outcome.OUTPUT_LIMIT, r.outcome());
        assertEquals(4096, r.length());
        assertTrue(r.data().length <= 4096);
        Result exact = ContentCoding.decode(List.of("gzip"), gz, 0, gz.length, false, 10_000, 100);
        assertEquals(Outcome.DECODED, exact.outcome(), "exactly maxOutput bytes is not over it");
        assertEquals(10_000, exact.length());
    }

    /** A gigabyte of zeros, gzipped as it is generated (about 1 MB): stopped by the ratio cap. */
    @Test
    void gzipBombIsStoppedByTheRatio() throws IOException {
        byte[] bomb = zerosGzipped(1L << 30);
        assertTrue(bomb.length < 2_000_000, "bomb is " + bomb.length);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Result r = ContentCoding.decode(List.of("gzip"), bomb, 0, bomb.length, false, 64 << 20, 100);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(Outcome.RATIO, r.outcome());
        // The ratio stops it just past the 1 MiB floor, long before the 64 MiB output cap, and
        // the buffer grew with the output instead of being sized by the cap.
        assertEquals(0, r.length());
        assertTrue(allocated < 8L << 20, "allocated " + allocated + " bytes");
        // With a generous ratio the output cap stops it instead.
        Result capped = ContentCoding.decode(List.of("gzip"), bomb, 0, bomb.length, false, 4 << 20, 100_000);
        assertEquals(Outcome.OUTPUT_LIMIT, capped.outcome());
        assertEquals(4 << 20, capped.length());
    }

    @Test
    void stackedBombIsStoppedInTheFirstLayer() throws IOException {
        byte[] inner = zerosGzipped(1L << 30);
        byte[] outer = gzip(inner);
        Result r = ContentCoding.decode(List.of("gzip", "gzip"), outer, 0, outer.length, false, 64 << 20, 100);
        assertEquals(Outcome.RATIO, r.outcome());
    }

    private static byte[] gigabyteBomb;

    /** 1 GiB of zeros gzipped while generated (about 1 MB), made once per run. */
    static synchronized byte[] zerosGzipped(long size) throws IOException {
        if (size == 1L << 30 && gigabyteBomb != null) {
            return gigabyteBomb;
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        try (OutputStream out = new GZIPOutputStream(bos, 1 << 16)) {
            for (long done = 0; done < size; done += chunk.length) {
                out.write(chunk);
            }
        }
        byte[] b = bos.toByteArray();
        if (size == 1L << 30) {
            gigabyteBomb = b;
        }
        return b;
    }

    @Test
    void brotliRoundTrip() {
        Result r = decode(BROTLI_FORM, "br");
        assertEquals(Outcome.DECODED, r.outcome(), r.detail());
        assertArrayEquals(FORM, bytes(r));
    }

    @Test
    void brotliWindowIsBounded() throws Exception {
        // First byte 0x0F: WBITS 24 (16 MiB window) -> refused before the decoder allocates it.
        Result r = decode(new byte[] {0x0F, 0x00}, "br");
        assertEquals(Outcome.UNSUPPORTED, r.outcome());
        assertEquals(22, ContentCoding.brotliWindowBits(BROTLI_FORM, 0, BROTLI_FORM.length));
        assertEquals(16, ContentCoding.brotliWindowBits(new byte[] {0x00}, 0, 1));
        assertEquals(10, ContentCoding.brotliWindowBits(new byte[] {0x21}, 0, 1));
        assertEquals(17, ContentCoding.brotliWindowBits(new byte[] {0x01}, 0, 1));
        assertEquals(-2, ContentCoding.brotliWindowBits(new byte[] {0x11}, 0, 1));
        assertEquals(Outcome.CORRUPT, decode(new byte[] {0x11, 0x00}, "br").outcome());
    }

    /** request/zeros-1gib.br: 1 GiB of zeros as brotli (quality 5, window 22), 1617 bytes. */
    @Test
    void brotliBombIsStoppedByTheRatio() throws IOException {
        byte[] bomb;
        try (java.io.InputStream in = getClass().getResourceAsStream("/request/zeros-1gib.br")) {
            bomb = in.readAllBytes();
        }
        Result r = ContentCoding.decode(List.of("br"), bomb, 0, bomb.length, false, 64 << 20, 100);
        assertEquals(Outcome.RATIO, r.outcome());
        Result capped = ContentCoding.decode(List.of("br"), bomb, 0, bomb.length, false, 2 << 20, 1_000_000);
        assertEquals(Outcome.OUTPUT_LIMIT, capped.outcome());
        assertEquals(2 << 20, capped.length());
    }

    @Test
    void corruptBrotliIsCorrupt() {
        byte[] bad = BROTLI_FORM.clone();
        bad[5] ^= 0x55;
        Result r = decode(bad, "br");
        assertTrue(r.outcome() == Outcome.CORRUPT || !Arrays.equals(FORM, bytes(r)), r.outcome().toString());
        assertEquals(Outcome.CORRUPT, decode(Arrays.copyOf(BROTLI_FORM, 6), "br").outcome(), "cut short");
    }
}

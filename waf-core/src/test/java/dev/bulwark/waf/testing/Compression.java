package dev.bulwark.waf.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Test helper: request bodies compressed as clients send them. */
public final class Compression {

    /** {@code q=' OR 1=1--&x=1} as a form, brotli-compressed (quality 11, window 22) with Node's zlib: Java has no encoder. */
    public static final String BROTLI_FORM_BASE64 = "iwmAcT0lMjcrT1IrMSUzRDEtLSZ4PTED";

    private Compression() {
    }

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bos)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    /** zlib-wrapped (RFC 1950) when {@code zlib}, else raw deflate (RFC 1951). */
    public static byte[] deflate(byte[] data, boolean zlib) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, !zlib);
        try (DeflaterOutputStream out = new DeflaterOutputStream(bos, d)) {
            out.write(data);
        } finally {
            d.end();
        }
        return bos.toByteArray();
    }
}

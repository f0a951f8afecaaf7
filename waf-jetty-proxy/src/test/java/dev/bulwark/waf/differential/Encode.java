package dev.bulwark.waf.differential;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** The encodings an attacker wraps a payload in, written out byte for byte. */
final class Encode {

    private Encode() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Every byte outside the unreserved set as %XX (upper-case hex). */
    static String pct(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    static String pct(String s) {
        return pct(utf8(s));
    }

    /** Only what cannot appear raw in a request target (space, %, #, non-ASCII) encoded. */
    static String pctMinimal(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : utf8(s)) {
            int c = b & 0xff;
            if (c <= ' ' || c == '%' || c == '#' || c >= 0x7f) {
                sb.append('%').append(String.format("%02X", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** HTML form encoding (space as +). */
    static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The content of a JSON string literal. */
    static String json(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Every character as a JSON \\uXXXX escape. */
    static String jsonEscapedAll(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(String.format("\\u%04x", (int) c));
        }
        return sb.toString();
    }

    /** Every printable ASCII character as its full-width form (U+FF01..U+FF5E), spaces as U+3000. */
    static String fullWidth(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c > 0x20 && c < 0x7f ? (char) (c - 0x21 + 0xFF01) : c == ' ' ? '\u3000' : c);
        }
        return sb.toString();
    }

    /** Only the punctuation that makes the payload an attack as full-width; letters stay ASCII. */
    static String fullWidthPunctuation(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            boolean punct = c > 0x20 && c < 0x7f && !Character.isLetterOrDigit(c);
            sb.append(punct ? (char) (c - 0x21 + 0xFF01) : c);
        }
        return sb.toString();
    }

    /** UTF-7 (RFC 2152): set D and space direct, everything else as +base64(UTF-16BE)-. */
    static String utf7(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 0x80 || "'(),-./:? ".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                byte[] u16 = String.valueOf(c).getBytes(StandardCharsets.UTF_16BE);
                sb.append('+').append(Base64.getEncoder().withoutPadding().encodeToString(u16)).append('-');
            }
        }
        return sb.toString();
    }

    /** Quoted-printable with every byte encoded. */
    static String quotedPrintable(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : utf8(s)) {
            sb.append('=').append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(utf8(s));
    }

    static byte[] gzip(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** RFC 1950 zlib stream, what "deflate" means in HTTP. */
    static byte[] zlib(byte[] in) {
        return deflate(in, false);
    }

    /** Raw RFC 1951 deflate, which some clients send as "deflate". */
    static byte[] rawDeflate(byte[] in) {
        return deflate(in, true);
    }

    private static byte[] deflate(byte[] in, boolean raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, d)) {
            z.write(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            d.end();
        }
        return out.toByteArray();
    }

    /** A gzip member that inflates to {@code size} bytes of a form body: a few tens of KB on the wire. */
    static byte[] gzipBomb(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            gz.write(utf8("q="));
            byte[] block = new byte[1 << 16];
            java.util.Arrays.fill(block, (byte) 'a');
            for (int n = 0; n < size; n += block.length) {
                gz.write(block);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

package dev.bulwark.waf.transform;

/**
 * The one shared, lenient conversion between bytes and the engine's String values.
 *
 * <p><b>Decoding</b> ({@link #decode}) never fails and never loses information:
 * <ul>
 *   <li>well-formed UTF-8 becomes the characters it encodes (supplementary code points as
 *       surrogate pairs);</li>
 *   <li>overlong 2-, 3- and 4-byte forms of an ASCII character (for example {@code C0 AF} or
 *       {@code E0 80 AF} for {@code /}) become that ASCII character, because attackers use them
 *       to hide {@code /}, {@code .} and friends from naive filters while lenient back ends still
 *       accept them;</li>
 *   <li>every byte of any other ill-formed sequence (stray continuation bytes, truncated
 *       sequences, other overlongs, encoded surrogates, code points above U+10FFFF, bytes
 *       {@code F5..FF}) becomes the character U+00XX with the byte's value, and decoding resumes
 *       at the next byte.</li>
 * </ul>
 *
 * <p><b>Byte view</b> ({@link #encode}, {@link #encodedLength}): decoding is not injective
 * (valid {@code C3 A9} and the invalid lone byte {@code E9} both yield U+00E9), so no encoder can
 * restore every original byte sequence. Bulwark uses this rule: a char in U+0000..U+00FF is the
 * single byte of the same value (ISO-8859-1); any other char is encoded as UTF-8 (a surrogate
 * pair as one 4-byte sequence, a lone surrogate as its 3-byte generalised-UTF-8 form). Thus
 * invalid bytes, binary data (digests, decoded base64 of binary) and all text outside the
 * Latin-1 range round-trip exactly, so chains such as {@code t:sha1,t:hexEncode} give the real
 * digest. The price: a Latin-1 supplement letter that arrived as valid two-byte UTF-8 counts as
 * one byte in {@code t:length}, {@code t:md5}, {@code t:hexEncode} and friends.
 *
 * <p>Stateless and thread-safe; all methods are linear in their input.
 */
public final class Utf8Lenient {

    private Utf8Lenient() {
    }

    /** Decodes {@code len} bytes of {@code b} starting at {@code off}; see the class doc. */
    public static String decode(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new IndexOutOfBoundsException("off=" + off + " len=" + len + " size=" + b.length);
        }
        int ascii = 0;
        while (ascii < len && b[off + ascii] >= 0) {
            ascii++;
        }
        if (ascii == len) {
            // Plain ASCII (most bodies and values): one bulk copy, no per-char appends.
            return new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(len);
        sb.append(new String(b, off, ascii, java.nio.charset.StandardCharsets.ISO_8859_1));
        decodeInto(b, off + ascii, len - ascii, sb);
        return sb.toString();
    }

    /** Decodes the whole array; see {@link #decode(byte[], int, int)}. */
    public static String decode(byte[] b) {
        return decode(b, 0, b.length);
    }

    /** Appends the lenient decoding of {@code b[off, off+len)} to {@code sb}. */
    static void decodeInto(byte[] b, int off, int len, StringBuilder sb) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int consumed = 0;
            if (b0 >= 0xC0 && b0 <= 0xDF) {
                int b1 = cont(b, i + 1, end);
                if (b1 >= 0) {
                    // C0/C1 lead bytes can only encode U+0000..U+007F: overlong ASCII, kept as ASCII.
                    sb.append((char) (((b0 & 0x1F) << 6) | b1));
                    consumed = 2;
                }
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                int b1 = cont(b, i + 1, end);
                int b2 = b1 >= 0 ? cont(b, i + 2, end) : -1;
                if (b2 >= 0) {
                    int cp = ((b0 & 0x0F) << 12) | (b1 << 6) | b2;
                    if (cp < 0x80 || (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF))) {
                        sb.append((char) cp);
                        consumed = 3;
                    }
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                int b1 = cont(b, i + 1, end);
                int b2 = b1 >= 0 ? cont(b, i + 2, end) : -1;
                int b3 = b2 >= 0 ? cont(b, i + 3, end) : -1;
                if (b3 >= 0) {
                    int cp = ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
                    if (cp < 0x80) {
                        sb.append((char) cp);
                        consumed = 4;
                    } else if (cp >= 0x10000 && cp <= 0x10FFFF) {
                        sb.appendCodePoint(cp);
                        consumed = 4;
                    }
                }
            }
            if (consumed == 0) {
                sb.append((char) b0); // ill-formed: keep the byte as U+00XX, resync on next byte
                i++;
            } else {
                i += consumed;
            }
        }
    }

    /** The 6 payload bits of the continuation byte at {@code i}, or -1 if absent or not one. */
    private static int cont(byte[] b, int i, int end) {
        if (i >= end) {
            return -1;
        }
        int v = b[i] & 0xFF;
        return (v & 0xC0) == 0x80 ? v & 0x3F : -1;
    }

    /** The byte view of {@code s} (see the class doc for the rule). */
    public static byte[] encode(String s) {
        byte[] out = new byte[encodedLength(s)];
        int p = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c <= 0xFF) {
                out[p++] = (byte) c;
            } else if (c < 0x800) {
                out[p++] = (byte) (0xC0 | (c >> 6));
                out[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[p++] = (byte) (0xF0 | (cp >> 18));
                out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[p++] = (byte) (0xE0 | (c >> 12));
                out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return out;
    }

    /** The number of bytes {@link #encode(String)} would produce, without allocating them. */
    public static int encodedLength(String s) {
        int n = s.length();
        int len = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c <= 0xFF) {
                len += 1;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                len += 4;
                i++;
            } else {
                len += 3;
            }
        }
        return len;
    }

    /**
     * Strict UTF-8 validation of raw bytes (RFC 3629): rejects stray continuation bytes,
     * truncated sequences, overlong forms, encoded surrogates and code points over U+10FFFF.
     *
     * @return the offset of the first byte of the first invalid sequence, or -1 when valid
     */
    public static int firstInvalid(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int min;
            int cp;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                min = 0x80;
                cp = c & 0x1F;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                min = 0x800;
                cp = c & 0x0F;
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                min = 0x10000;
                cp = c & 0x07;
            } else {
                return i; // continuation byte, C0/C1 overlong lead, or F5..FF
            }
            if (i + need >= end) {
                return i; // truncated at the end of the input
            }
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    return i;
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return i;
            }
            i += need + 1;
        }
        return -1;
    }

}

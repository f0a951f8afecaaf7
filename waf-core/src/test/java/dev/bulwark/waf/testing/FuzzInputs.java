package dev.bulwark.waf.testing;

import java.util.Random;

/**
 * Turns raw fuzzer bytes into the values the {@code *FuzzTest} classes need, so that seed files
 * stay readable text. Test helper.
 */
public final class FuzzInputs {

    private FuzzInputs() {
    }

    /** Index of the first {@code '\n'} in {@code b}, or {@code b.length}. */
    public static int lineEnd(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return b.length;
    }

    /**
     * {@code b[from, to)} as chars: UTF-8, except that encoded surrogates ({@code ED A0..BF xx})
     * give lone surrogate chars and every byte that starts no valid sequence gives U+00XX. So any
     * Java string, lone surrogates included, is reachable, and readable seeds stay readable.
     */
    public static String text(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            int len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
            int cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
            boolean ok = len > 0 && i + len <= to;
            for (int k = 1; ok && k < len; k++) {
                int cont = b[i + k] & 0xFF;
                ok = (cont & 0xC0) == 0x80;
                cp = (cp << 6) | (cont & 0x3F);
            }
            ok &= len != 3 || cp >= 0x800;
            ok &= len != 4 || (cp >= 0x10000 && cp <= 0x10FFFF);
            if (ok) {
                sb.appendCodePoint(cp);
                i += len;
            } else {
                sb.append((char) c);
                i++;
            }
        }
        return sb.toString();
    }

    /** All of {@code b} as {@link #text(byte[], int, int)}. */
    public static String text(byte[] b) {
        return text(b, 0, b.length);
    }

    /**
     * A {@link Random} whose bits come from {@code b} (4 bytes per draw), so that generators
     * written for {@code Random} can be driven by the fuzzer. Once the bytes are used up it
     * returns a fixed value whose {@code nextInt(4)} is 2 and {@code nextBoolean()} true, so that
     * generator loops of the form {@code while (r.nextInt(4) == 0)} end.
     */
    public static Random random(byte[] b, int from) {
        return new Random(0) {
            private static final long serialVersionUID = 1L;
            private int pos = from;

            @Override
            protected int next(int bits) {
                int v;
                if (pos + 4 <= b.length) {
                    v = (b[pos] & 0xFF) << 24 | (b[pos + 1] & 0xFF) << 16 | (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
                    pos += 4;
                } else {
                    pos = b.length;
                    v = 0x55555555 << 1; // 0xAAAAAAAA: top bits 1010...
                }
                return v >>> (32 - bits);
            }
        };
    }
}

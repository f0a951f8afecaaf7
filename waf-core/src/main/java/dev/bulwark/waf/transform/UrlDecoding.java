package dev.bulwark.waf.transform;

/** URL decoders ({@code urlDecode}, {@code urlDecodeUni}, {@code urlDecodeRecursive}). Stateless. */
final class UrlDecoding {

    /** Passes of {@link #decodeRecursive}: enough for triple encoding plus one, still linear. */
    static final int MAX_PASSES = 4;

    private UrlDecoding() {
    }

    /**
     * {@code %XX} to bytes (then lenient UTF-8), {@code +} to space; {@code %uXXXX} too when
     * {@code unicode}, with full-width ASCII in decoded output folded to ASCII. Invalid escapes
     * stay as they are.
     */
    static String decode(String s, boolean unicode) {
        int first = firstEscape(s);
        if (first < 0) {
            return s;
        }
        String ascii = decodeAscii(s, first);
        return ascii != null ? ascii : decodeGeneral(s, unicode, first);
    }

    /** {@link #decode} without its ASCII path; for the tests that hold the two equal. */
    static String decodeGeneral(String s, boolean unicode) {
        int first = firstEscape(s);
        return first < 0 ? s : decodeGeneral(s, unicode, first);
    }

    /** The index of the first {@code %} or {@code +}, or -1. */
    private static int firstEscape(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+') {
                return i;
            }
        }
        return -1;
    }

    private static String decodeGeneral(String s, boolean unicode, int first) {
        int n = s.length();
        DecodeBuffer out = new DecodeBuffer(n, unicode);
        out.addLiteral(s, 0, first);
        boolean changed = false;
        int i = first;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '%') {
                int v = Texts.hex2(s, i + 1);
                if (v >= 0) {
                    out.addByte(v);
                    i += 3;
                    changed = true;
                    continue;
                }
                if (unicode && i + 1 < n && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')) {
                    int u = Texts.hex4(s, i + 2);
                    if (u >= 0) {
                        out.addDecoded((char) u);
                        i += 6;
                        changed = true;
                        continue;
                    }
                }
                out.addLiteral(c);
            } else if (c == '+') {
                out.addDecoded(' ');
                changed = true;
            } else {
                // A run of plain characters goes over in one piece.
                int j = i + 1;
                while (j < n && s.charAt(j) != '%' && s.charAt(j) != '+') {
                    j++;
                }
                out.addLiteral(s, i, j);
                i = j;
                continue;
            }
            i++;
        }
        String r = out.result();
        return changed ? r : s;
    }

    /**
     * The common case in one char array: every escape decodes to an ASCII byte ({@code %XX}
     * below {@code %80}, {@code +}). Returns null at the first escape that needs the general
     * decoder (a byte from {@code %80} up, which may start UTF-8, or {@code %u}); for ASCII
     * bytes the general decoder's UTF-8 and full-width steps change nothing.
     */
    private static String decodeAscii(String s, int first) {
        int n = s.length();
        char[] in = s.toCharArray(); // array reads beat charAt and per-run copies on short words
        char[] out = new char[n];
        System.arraycopy(in, 0, out, 0, first);
        int k = first;
        int i = first;
        boolean changed = false;
        while (i < n) {
            char c = in[i];
            if (c == '+') {
                out[k++] = ' ';
                i++;
                changed = true;
            } else if (c != '%') {
                out[k++] = c;
                i++;
            } else {
                int h = i + 2 < n ? Texts.hex(in[i + 1]) : -1;
                int l = h >= 0 ? Texts.hex(in[i + 2]) : -1;
                if (l >= 0) {
                    if (h >= 8) {
                        return null; // %80 and up: a UTF-8 byte, for the general decoder
                    }
                    out[k++] = (char) ((h << 4) | l);
                    i += 3;
                    changed = true;
                } else if (i + 1 < n && (in[i + 1] == 'u' || in[i + 1] == 'U')) {
                    return null; // %u: left to the general decoder
                } else {
                    out[k++] = '%'; // not an escape: stays
                    i++;
                }
            }
        }
        return changed ? new String(out, 0, k) : s;
    }

    /** {@code urlDecodeUni} until a fixed point, at most {@link #MAX_PASSES} passes. */
    static String decodeRecursive(String s) {
        String cur = s;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            String next = decode(cur, true);
            if (next.equals(cur)) {
                break;
            }
            cur = next;
        }
        return cur;
    }
}

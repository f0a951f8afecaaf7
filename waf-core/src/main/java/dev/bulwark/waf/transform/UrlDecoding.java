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
        int n = s.length();
        int first = -1;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+') {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return s;
        }
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

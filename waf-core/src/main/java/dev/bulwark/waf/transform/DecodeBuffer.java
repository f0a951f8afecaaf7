package dev.bulwark.waf.transform;

/**
 * Output accumulator for decoders whose escapes denote bytes ({@code %XX}, {@code \xHH} in C,
 * hex pairs): consecutive decoded bytes are collected and turned into chars together by
 * {@link Utf8Lenient}, so multi-byte UTF-8 split across escapes decodes correctly, while literal
 * input chars are copied as chars and never re-encoded. Not thread-safe; one per call.
 */
final class DecodeBuffer {

    private final StringBuilder sb;
    private byte[] bytes = new byte[16];
    private int count;
    /** Fold full-width ASCII (U+FF01..U+FF5E) in decoded output to ASCII. */
    private final boolean foldFullWidth;

    DecodeBuffer(int capacity, boolean foldFullWidth) {
        this.sb = new StringBuilder(capacity);
        this.foldFullWidth = foldFullWidth;
    }

    void addByte(int b) {
        if (count == bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, count * 2);
        }
        bytes[count++] = (byte) b;
    }

    /** Appends a literal char from the input (not a decoding result). */
    void addLiteral(char c) {
        flush();
        sb.append(c);
    }

    /** Appends a literal slice of the input. */
    void addLiteral(CharSequence s, int from, int to) {
        flush();
        sb.append(s, from, to);
    }

    /** Appends a char produced by decoding an escape (subject to full-width folding). */
    void addDecoded(char c) {
        flush();
        sb.append(foldFullWidth ? Texts.foldFullWidth(c) : c);
    }

    private void flush() {
        if (count > 0) {
            int start = sb.length();
            Utf8Lenient.decodeInto(bytes, 0, count, sb);
            count = 0;
            if (foldFullWidth) {
                for (int k = start; k < sb.length(); k++) {
                    sb.setCharAt(k, Texts.foldFullWidth(sb.charAt(k)));
                }
            }
        }
    }

    String result() {
        flush();
        return sb.toString();
    }
}

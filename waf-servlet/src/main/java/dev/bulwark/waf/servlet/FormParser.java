package dev.bulwark.waf.servlet;

import dev.bulwark.waf.internal.Ascii;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code application/x-www-form-urlencoded} text (query strings and form bodies) for the
 * request wrapper, because once the filter has read the body the container cannot parse it any
 * more. Lenient by design: a malformed escape is kept literally and invalid bytes for the charset
 * become U+FFFD, so hostile input never throws. Linear in the input length.
 */
final class FormParser {

    private FormParser() {
    }

    /**
     * Adds the pairs in {@code text} to {@code into} (values of repeated names accumulate in
     * order), stopping after {@code maxPairs} pairs in total.
     */
    static void parse(String text, Charset charset, Map<String, List<String>> into, int maxPairs) {
        if (text == null || text.isEmpty()) {
            return;
        }
        int count = 0;
        for (List<String> values : into.values()) {
            count += values.size();
        }
        int start = 0;
        int n = text.length();
        while (start <= n && count < maxPairs) {
            int end = text.indexOf('&', start);
            if (end < 0) {
                end = n;
            }
            if (end > start) {
                // Search only inside this pair so that many '='-less pairs stay linear.
                int eq = -1;
                for (int i = start; i < end; i++) {
                    if (text.charAt(i) == '=') {
                        eq = i;
                        break;
                    }
                }
                String name;
                String value;
                if (eq >= 0) {
                    name = decode(text, start, eq, charset);
                    value = decode(text, eq + 1, end, charset);
                } else {
                    name = decode(text, start, end, charset);
                    value = "";
                }
                into.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
                count++;
            }
            start = end + 1;
        }
    }

    /** Converts accumulated values into the {@code String[]} map the Servlet API returns. */
    static Map<String, String[]> toArrays(Map<String, List<String>> params) {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            out.put(e.getKey(), e.getValue().toArray(new String[0]));
        }
        return out;
    }

    /** Percent-decodes {@code s[from, to)} with {@code +} as space. */
    static String decode(String s, int from, int to, Charset charset) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return s.substring(from, to);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < to && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                i += 2;
                continue;
            }
            flush(bytes, out, charset);
            if (c == '+') {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        flush(bytes, out, charset);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder out, Charset charset) {
        if (bytes.size() == 0) {
            return;
        }
        try {
            out.append(charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())));
        } catch (CharacterCodingException e) {
            // Unreachable with REPLACE; keep the bytes visible rather than failing the request.
            out.append(new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        bytes.reset();
    }

    private static int hex(char c) {
        return Ascii.hexValue(c);
    }
}

package dev.bulwark.waf.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bulwark.waf.testing.FuzzInputs;
import dev.bulwark.waf.transform.Utf8Lenient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the {@code application/x-www-form-urlencoded} parser: any body parses within the
 * limits and gives what a straightforward reading of its documented rules gives, and any list of
 * pairs survives encoding and parsing unchanged. Seeds: {@code UrlEncodedFuzzTestInputs/}.
 */
class UrlEncodedFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void parse(byte[] body) {
        BodyFuzzing.parseBoth(BodyProcessor.URLENCODED, "application/x-www-form-urlencoded", body, 0);
        int max = 1 + (body.length == 0 ? 0 : (body[0] & 7));
        List<Arg> out = new ArrayList<>();
        boolean dropped = UrlEncoded.parseInto(body, 0, body.length, max, out);
        List<Arg> expected = reference(body);
        assertEquals(expected.subList(0, Math.min(max, expected.size())), out);
        assertEquals(expected.size() > max, dropped);
    }

    /**
     * Each line of the input is a pair, name and value split at the first TAB; encoded with
     * {@link URLEncoder} and joined with {@code &}, the parser must give back the same pairs.
     */
    @FuzzTest(maxDuration = "20s")
    void roundTrip(byte[] data) {
        String text = FuzzInputs.text(data);
        List<Arg> pairs = new ArrayList<>();
        StringBuilder encoded = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (hasLoneSurrogate(line)) {
                return; // not encodable as UTF-8: no round trip to speak of
            }
            int tab = line.indexOf('\t');
            Arg a = tab < 0 ? new Arg(line, "") : new Arg(line.substring(0, tab), line.substring(tab + 1));
            pairs.add(a);
            if (encoded.length() > 0) {
                encoded.append('&');
            }
            encoded.append(URLEncoder.encode(a.name(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(a.value(), StandardCharsets.UTF_8));
        }
        assertEquals(pairs, UrlEncoded.parse(encoded.toString(), pairs.size()));
        byte[] bytes = encoded.toString().getBytes(StandardCharsets.US_ASCII);
        ParsedBody p = BodyParser.parse(BodyProcessor.URLENCODED, null, bytes, 0, bytes.length, null);
        if (pairs.size() <= BodyLimits.defaults().maxArgs()) {
            assertEquals(pairs, p.args());
        }
    }

    /** The class comment's rules, applied one byte at a time. */
    private static List<Arg> reference(byte[] b) {
        List<Arg> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= b.length; i++) {
            if (i == b.length || b[i] == '&') {
                if (i > start) {
                    int eq = start;
                    while (eq < i && b[eq] != '=') {
                        eq++;
                    }
                    out.add(new Arg(decode(b, start, eq), eq < i ? decode(b, eq + 1, i) : ""));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static String decode(byte[] b, int from, int to) {
        byte[] d = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            int h1 = i + 2 < to ? Character.digit(b[i + 1], 16) : -1;
            int h2 = i + 2 < to ? Character.digit(b[i + 2], 16) : -1;
            if (b[i] == '+') {
                d[n++] = ' ';
            } else if (b[i] == '%' && h1 >= 0 && h2 >= 0) {
                d[n++] = (byte) (h1 * 16 + h2);
                i += 2;
            } else {
                d[n++] = b[i];
            }
        }
        return Utf8Lenient.decode(d, 0, n);
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}

package dev.bulwark.waf.request;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.bulwark.waf.testing.FuzzInputs;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the {@code multipart/form-data} parser through {@link BodyParser#parse}: the first line
 * of the input is the Content-Type header value, the rest the body (so seeds are readable
 * requests). Any input parses without an exception and within the limits. Seeds:
 * {@code MultipartFuzzTestInputs/}.
 */
class MultipartFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void parse(byte[] data) {
        int eol = FuzzInputs.lineEnd(data);
        String contentType = new String(data, 0, eol, StandardCharsets.ISO_8859_1);
        int bodyStart = Math.min(eol + 1, data.length);
        BodyFuzzing.parseBoth(BodyProcessor.MULTIPART, contentType, data, bodyStart);
    }
}

package dev.bulwark.waf.request;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the JSON body parser through {@link BodyParser#parse}: any bytes parse without an
 * exception and within the limits. Seeds: {@code JsonBodyFuzzTestInputs/}.
 */
class JsonBodyFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void parse(byte[] body) {
        BodyFuzzing.parseBoth(BodyProcessor.JSON, "application/json", body, 0);
    }
}

package dev.bulwark.waf.request;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the XML body parser through {@link BodyParser#parse}: any bytes parse without an
 * exception and within the limits. Seeds: {@code XmlBodyFuzzTestInputs/}.
 */
class XmlBodyFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void parse(byte[] body) {
        BodyFuzzing.parseBoth(BodyProcessor.XML, "application/xml", body, 0);
    }
}

package dev.bulwark.waf.match;

import dev.bulwark.waf.spi.MatchContext;
import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.OperatorSupport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpSetTest {

    /** A large block list from a data file: every listed /24 matches, its neighbours do not. */
    @Test
    void largeDataFile() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20_000; i += 2) {
            lines.add("10." + (i >> 8) + "." + (i & 0xFF) + ".0/24");
            lines.add("2001:db8:" + Integer.toHexString(i) + "::/48");
        }
        OperatorSupport files = name -> lines;
        Operator op = Operators.builtins().get("ipMatchFromFile").create("block.txt", files);
        for (int i = 0; i < 20_000; i++) {
            boolean listed = i % 2 == 0;
            String v4 = "10." + (i >> 8) + "." + (i & 0xFF) + ".77";
            String v6 = "2001:db8:" + Integer.toHexString(i) + ":1::7";
            if (listed) {
                assertTrue(op.matches(v4, MatchContext.empty()), v4);
                assertTrue(op.matches(v6, MatchContext.empty()), v6);
            } else {
                assertFalse(op.matches(v4, MatchContext.empty()), v4);
                assertFalse(op.matches(v6, MatchContext.empty()), v6);
            }
        }
    }

    /** Inputs that are not addresses are never resolved and never throw, whatever their size. */
    @Test
    void garbageInputsDoNotThrow() {
        Operator op = Operators.builtins().get("ipMatch").create("10.0.0.0/8,::1", OperatorSupport.none());
        String[] inputs = {"", " ", "[", "[]", "%", "::%", ":", ":::::::::", "1.2.3.4.5",
            "999999999999.1.1.1", "1:2:3:4:5:6:1.2.3.4:5", "::ffff:1.2.3", "\u0661.1.1.1",
            "localhost", "10.0.0.1%eth0", ":".repeat(100_000), "1.".repeat(100_000),
            "a".repeat(100_000)};
        for (String in : inputs) {
            assertFalse(op.matches(in, MatchContext.empty()), in.length() > 40 ? "long" : in);
        }
    }
}

package dev.bulwark.waf.match;

import dev.bulwark.waf.spi.MatchContext;
import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.OperatorFactory;
import dev.bulwark.waf.spi.OperatorSupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RxOperatorTest {

    private static Operator rx(String pattern) {
        return Operators.builtins().get("rx").create(pattern, OperatorSupport.none());
    }

    /** Catastrophic for backtracking engines (2^n paths); RE2J must simply finish. */
    @Test
    void nestedQuantifierOnHostileInputCompletes() {
        String input = "a".repeat(100_000) + "!";
        assertFalse(rx("(a+)+$").matches(input, MatchContext.empty()));
        assertFalse(rx("^(a|aa)+$").matches(input, MatchContext.empty()));
        assertFalse(rx("(x+x+)+y").matches("x".repeat(100_000), MatchContext.empty()));
        assertTrue(rx("(a+)+!$").matches(input, MatchContext.empty()));
    }

    @Test
    void macroCacheStaysBounded() {
        RxOperator op = RxOperator.create("^%{tx.v}$");
        for (int i = 0; i < 3 * RxOperator.CACHE_LIMIT; i++) {
            String value = "v" + i;
            MatchContext ctx = expandingTo(value);
            assertTrue(op.matches(value, ctx));
            assertFalse(op.matches(value + "x", ctx));
            assertTrue(op.cacheSize() <= RxOperator.CACHE_LIMIT, "cache grew to " + op.cacheSize());
        }
    }

    @Test
    void invalidExpansionIsCachedAsNoMatch() {
        RxOperator op = RxOperator.create("%{tx.v}");
        MatchContext ctx = expandingTo("[unclosed");
        assertFalse(op.matches("[unclosed", ctx));
        assertFalse(op.matches("[unclosed", ctx));
        assertEquals(1, op.cacheSize());
    }

    /** Request data reaching the pattern through a macro must not break the thread. */
    @Test
    void hostileExpansionNeverThrows() {
        RxOperator op = RxOperator.create("%{tx.v}");
        String deep = "(".repeat(50_000) + "a" + ")".repeat(50_000);
        assertFalse(op.matches("b", expandingTo(deep)));
        assertFalse(op.matches("b", expandingTo("a{2000}{2000}")));
    }

    /** RE2J 1.8 never finishes compiling these; the operator must refuse them, not hang. */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void patternsThatWouldHangRe2jAreRefused() {
        RxOperator op = RxOperator.create("%{tx.v}");
        assertFalse(op.matches("\u1c80", expandingTo("(?i)\\x{1c80}")));
        assertFalse(op.matches("\u1c81", expandingTo("(?i)[\u1c81]")));
        assertFalse(op.matches("x", expandingTo("(?si)[\\x{1000}-\\x{2000}]")));
        assertThrows(IllegalArgumentException.class, () -> RxOperator.create("(?i)[\\x{1c80}-\\x{1c88}]"));
        // Case-sensitive, or below the range: compiled as usual.
        assertTrue(rx("\\x{1c80}").matches("\u1c80", MatchContext.empty()));
        assertTrue(rx("(?i)\\x{412}").matches("\u0432", MatchContext.empty()));
        assertTrue(op.matches("ab", expandingTo("(?i)AB")));
    }

    @Test
    void sharedAcrossThreads() throws Exception {
        Operator fixed = rx("(?i)union\\s+select");
        RxOperator macro = RxOperator.create("^(%{tx.v})$");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        String v = "w" + (id * 7 + i) % 50;
                        if (!fixed.matches("1 UNION  select 2", MatchContext.empty())
                                || fixed.matches("select union", MatchContext.empty())
                                || !macro.matches(v, expandingTo(v))
                                || macro.matches(v + "!", expandingTo(v))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The DFA pre-check only skips RE2J where it cannot match: answers and captures are unchanged. */
    @Test
    void dfaPrecheckKeepsAnswersAndCaptures() {
        RxOperator op = RxOperator.create("(?i)\\b(union)\\s+(?:all\\s+)?(select)\\b|^(x)?$");
        assertTrue(op.hasDfa());
        assertFalse(RxOperator.create("%{tx.v}").hasDfa());
        assertFalse(RxOperator.create("\\pL").hasDfa(), "Unicode classes run in RE2J alone");
        assertTrue(rx("\\pL").matches("\u00e9", MatchContext.empty()));
        assertFalse(op.matches("unions selected", MatchContext.empty()));
        assertFalse(op.matches("y\nunion", MatchContext.empty()));
        String[] groups = new String[10];
        MatchContext capturing = new MatchContext() {
            @Override
            public String expand(String text) {
                return text;
            }

            @Override
            public boolean captureEnabled() {
                return true;
            }

            @Override
            public void capture(int index, String v) {
                groups[index] = v;
            }
        };
        assertTrue(op.matches("1 UNION ALL  Select 2", capturing));
        assertEquals("UNION ALL  Select", groups[0]);
        assertEquals("UNION", groups[1]);
        assertEquals("Select", groups[2]);
        assertEquals("", groups[3]);
        assertTrue(op.matches("a\n\nb", capturing), "empty line matches ^(x)?$");
        assertEquals("", groups[0]);
    }

    /** Every operator argument of CRS whose operator is ours must be accepted by its factory. */
    @Test
    void crsArgumentsCompile() throws IOException {
        String dir = System.getProperty("crs.dir");
        assumeTrue(dir != null && Files.isDirectory(Paths.get(dir, "rules")), "CRS corpus absent");
        List<String> failures = new ArrayList<>();
        int checked = 0;
        int rxChecked = 0;
        try (Stream<Path> files = Files.list(Paths.get(dir, "rules"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".conf")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    String[] op = operatorOf(line);
                    if (op == null) {
                        continue;
                    }
                    OperatorFactory factory = Operators.builtins().get(op[0]);
                    if (factory == null) {
                        continue; // pm, pmFromFile, detectSQLi/XSS live elsewhere
                    }
                    checked++;
                    if (op[0].equals("rx")) {
                        rxChecked++;
                    }
                    try {
                        factory.create(op[1], OperatorSupport.none());
                    } catch (IllegalArgumentException e) {
                        failures.add(f.getFileName() + ": @" + op[0] + " " + e.getMessage());
                    }
                }
            }
        }
        assertTrue(rxChecked > 100, "expected the CRS @rx rules, found " + rxChecked);
        assertTrue(checked > rxChecked);
        assertEquals(List.of(), failures);
    }

    /** Extracts {name, argument} from a line holding {@code "@name argument"}, or null. */
    private static String[] operatorOf(String line) {
        int at = line.indexOf("\"@");
        int skip = 2;
        if (at < 0) {
            at = line.indexOf("\"!@");
            skip = 3;
        }
        if (at < 0) {
            return null;
        }
        int i = at + skip;
        int nameEnd = i;
        while (nameEnd < line.length() && Character.isLetterOrDigit(line.charAt(nameEnd))) {
            nameEnd++;
        }
        String name = line.substring(i, nameEnd);
        StringBuilder arg = new StringBuilder();
        int k = nameEnd < line.length() && line.charAt(nameEnd) == ' ' ? nameEnd + 1 : nameEnd;
        for (; k < line.length(); k++) {
            char c = line.charAt(k);
            if (c == '\\' && k + 1 < line.length() && line.charAt(k + 1) == '"') {
                arg.append('"');
                k++;
            } else if (c == '"') {
                return new String[] {name, arg.toString()};
            } else {
                arg.append(c);
            }
        }
        return null; // argument continues on the next line: not worth handling here
    }

    private static MatchContext expandingTo(String value) {
        return new MatchContext() {
            @Override
            public String expand(String text) {
                return text.replace("%{tx.v}", value);
            }

            @Override
            public boolean captureEnabled() {
                return false;
            }

            @Override
            public void capture(int index, String v) {
            }
        };
    }
}

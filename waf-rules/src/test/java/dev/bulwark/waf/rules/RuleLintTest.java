package dev.bulwark.waf.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.bulwark.waf.Waf;
import dev.bulwark.waf.rule.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Structural checks over the bundled rule files: unique ids inside each file's block, required
 * metadata and tags, regexes that RE2J compiles, referenced data files present, and test data
 * with positive and negative cases for every rule.
 */
class RuleLintTest {

    private static final Set<String> SEVERITIES = Set.of("CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO");

    @Test
    void indexListsEveryRuleFileOnce() {
        List<String> files = TestData.ruleFiles();
        assertFalse(files.isEmpty(), "index is empty");
        assertEquals(files.size(), new HashSet<>(files).size(), "duplicate entries in index");
        for (String f : files) {
            assertTrue(f.matches("1\\d\\d-[a-z0-9-]+\\.yaml"), "rule file name " + f);
            assertTrue(TestData.exists(BundledRules.BASE + f), "listed file missing: " + f);
        }
    }

    @Test
    void rulesHaveUniqueIdsInTheirFileBlockAndCompleteMetadata() {
        List<Executable> checks = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (String file : TestData.ruleFiles()) {
            int block = Integer.parseInt(file.substring(0, 3));
            assertTrue(BundledRules.ID_BLOCKS.contains(block * 1000), file + " has no declared id block");
            for (JsonNode r : TestData.ruleFile(file).get("rules")) {
                if (r.has("marker")) {
                    continue;
                }
                long id = r.path("id").asLong(-1);
                String where = file + " rule " + id;
                checks.add(() -> assertTrue(seen.add(id), where + ": duplicate id"));
                checks.add(() -> assertEquals(block, id / 1000, where + ": id outside the file's block"));
                int phase = r.path("phase").asInt(2);
                checks.add(() -> assertTrue(phase >= 1 && phase <= 5, where + ": phase " + phase));
                checks.add(() -> assertFalse(r.path("msg").asText("").isBlank(), where + ": msg missing"));
                checks.add(() -> assertTrue(SEVERITIES.contains(r.path("severity").asText("")),
                        where + ": severity missing or unknown"));
                int pl = r.path("paranoia").asInt(0);
                checks.add(() -> assertTrue(pl >= 1 && pl <= 4, where + ": paranoia " + pl));
                List<String> tags = new ArrayList<>();
                r.path("tags").forEach(t -> tags.add(t.asText()));
                checks.add(() -> assertTrue(tags.contains("paranoia-level/" + pl), where + ": paranoia tag missing"));
                checks.add(() -> assertTrue(tags.stream().anyMatch(t -> t.startsWith("attack-")),
                        where + ": attack-xxx tag missing"));
                checks.add(() -> assertTrue(r.path("targets").size() > 0, where + ": no targets"));
                checks.add(() -> assertTrue(r.has("transforms"), where + ": transforms not stated"));
                checks.add(() -> checkOperator(file, where, r.path("operator").asText("")));
                if (r.has("chain")) {
                    checks.add(() -> checkOperator(file, where + " chain", r.path("chain").path("operator").asText("")));
                }
            }
        }
        assertFalse(checks.isEmpty());
        assertAll(checks);
        assertFalse(seen.isEmpty());
    }

    private static void checkOperator(String file, String where, String op) {
        assertFalse(op.isBlank(), where + ": operator missing");
        String o = op.startsWith("!") ? op.substring(1) : op;
        assertTrue(o.startsWith("@"), where + ": operator must start with @");
        int sp = o.indexOf(' ');
        String name = sp < 0 ? o.substring(1) : o.substring(1, sp);
        String arg = sp < 0 ? "" : o.substring(sp + 1);
        if (name.equals("rx")) {
            try {
                Pattern.compile(arg);
            } catch (PatternSyntaxException e) {
                fail(where + ": regex does not compile under RE2J: " + e.getMessage());
            }
        }
        if (name.equals("pmFromFile") || name.equals("pmf") || name.equals("ipMatchFromFile")) {
            for (String data : arg.trim().split(" ")) {
                assertTrue(TestData.exists(BundledRules.BASE + data), where + ": data file missing: " + data);
            }
        }
    }

    /** The injection families: every rule of these files that reads ARGS is held to the check below. */
    private static final Set<String> INJECTION_FILES = Set.of("101-lfi.yaml", "102-rfi.yaml", "103-rce.yaml",
            "104-code.yaml", "105-xss.yaml", "106-sqli.yaml", "107-java.yaml", "108-ssrf.yaml", "110-ssti.yaml",
            "111-nosql-ldap.yaml", "112-crlf.yaml");

    /** Header exclusions every injection rule may have: the whole Cookie header is read as parsed cookies. */
    private static final Set<String> COMMON_HEADER_EXCLUSIONS = Set.of("!REQUEST_HEADERS:Cookie");

    /**
     * The documented per-rule exceptions (README "Header exclusions"): headers a rule skips,
     * or rules that read no headers / no raw body at all, and why.
     */
    private static final Map<Long, Set<String>> HEADER_EXCLUSIONS = Map.of(
            // SSRF to loopback/private addresses: these headers name the site the client is on
            108110L, Set.of("!REQUEST_HEADERS:Host", "!REQUEST_HEADERS:Origin", "!REQUEST_HEADERS:Referer"),
            108120L, Set.of("!REQUEST_HEADERS:Host", "!REQUEST_HEADERS:Origin", "!REQUEST_HEADERS:Referer"),
            108130L, Set.of("!REQUEST_HEADERS:Host", "!REQUEST_HEADERS:Origin", "!REQUEST_HEADERS:Referer"),
            108150L, Set.of("!REQUEST_HEADERS:Host", "!REQUEST_HEADERS:Origin", "!REQUEST_HEADERS:Referer"),
            // two parent references: a Referer path may hold ".." segments; Host is checked by protocol rules
            101191L, Set.of("!REQUEST_HEADERS:Referer", "!REQUEST_HEADERS:Host"),
            // whole-value Java package names: a Host such as java.net.example is a domain
            107190L, Set.of("!REQUEST_HEADERS:Host"));

    /** Paranoia-level-3 special-character counters: header syntax is full of the characters they count. */
    private static final Set<Long> NO_HEADERS = Set.of(103180L, 106195L);

    /**
     * 107200/107210 keep to parsed values (XML element names are no values; 107215 reads raw
     * bodies); 112110: a whole body never lands in a response header, and raw text bodies (mail,
     * HTTP examples) hold header-like lines.
     */
    private static final Set<Long> NO_RAW_BODY = Set.of(107200L, 107210L, 112110L);

    /** Rules about one argument's name or one tagged member, not about values in general. */
    private static final Set<Long> ARGUMENT_SPECIFIC = Set.of(102160L, 107181L, 111100L, 112130L, 112140L,
            112170L, 112180L, 112190L, 112200L, 112100L);

    /**
     * Attackers move payloads to whatever the WAF does not read: every injection rule that reads
     * arguments also reads every request header value and name and the raw body, except for the
     * documented exclusions above.
     */
    @Test
    void injectionRulesReadEveryHeaderAndTheRawBody() {
        List<Executable> checks = new ArrayList<>();
        for (String file : TestData.ruleFiles()) {
            if (!INJECTION_FILES.contains(file)) {
                continue;
            }
            for (JsonNode r : TestData.ruleFile(file).get("rules")) {
                long id = r.path("id").asLong(-1);
                List<String> targets = new ArrayList<>();
                r.path("targets").forEach(t -> targets.add(t.asText()));
                if (r.has("marker") || !targets.contains("ARGS") || ARGUMENT_SPECIFIC.contains(id)) {
                    continue;
                }
                String where = file + " rule " + id;
                if (!NO_RAW_BODY.contains(id)) {
                    checks.add(() -> assertTrue(targets.contains("REQUEST_BODY_UNPARSED"), where + ": no REQUEST_BODY_UNPARSED"));
                    checks.add(() -> assertEquals(2, r.path("phase").asInt(2), where + ": the raw body needs phase 2"));
                }
                if (NO_HEADERS.contains(id)) {
                    checks.add(() -> assertFalse(targets.stream().anyMatch(t -> t.startsWith("REQUEST_HEADERS")), where));
                    continue;
                }
                checks.add(() -> assertTrue(targets.contains("REQUEST_HEADERS"), where + ": does not read all headers"));
                checks.add(() -> assertTrue(targets.contains("REQUEST_HEADERS_NAMES"), where + ": does not read header names"));
                // Uploaded file names and the field names of file parts reach applications too.
                checks.add(() -> assertTrue(targets.contains("FILES") && targets.contains("FILES_NAMES"),
                        where + ": does not read uploaded file names"));
                Set<String> allowed = new HashSet<>(COMMON_HEADER_EXCLUSIONS);
                allowed.addAll(HEADER_EXCLUSIONS.getOrDefault(id, Set.of()));
                for (String t : targets) {
                    if (t.startsWith("!REQUEST_HEADERS")) {
                        checks.add(() -> assertTrue(allowed.contains(t), where + ": undocumented header exclusion " + t));
                    }
                }
            }
        }
        assertTrue(checks.size() > 300, "checked " + checks.size());
        assertAll(checks);
    }

    @Test
    void everyRuleHasPositiveAndNegativeTests() {
        Map<Long, int[]> counts = new HashMap<>();
        List<Long> ids = new ArrayList<>();
        for (String file : TestData.ruleFiles()) {
            for (JsonNode r : TestData.ruleFile(file).get("rules")) {
                if (!r.has("marker")) {
                    ids.add(r.get("id").asLong());
                }
            }
            JsonNode tests = TestData.testsFor(file);
            assertNotNull(tests, "no test file for " + file);
            for (JsonNode t : tests.get("tests")) {
                int[] c = counts.computeIfAbsent(t.get("rule").asLong(), k -> new int[2]);
                c[0] += t.path("match").size();
                c[1] += t.path("nomatch").size();
            }
        }
        List<Executable> checks = new ArrayList<>();
        for (long id : ids) {
            int[] c = counts.getOrDefault(id, new int[2]);
            checks.add(() -> assertTrue(c[0] > 0, "rule " + id + " has no positive test"));
            checks.add(() -> assertTrue(c[1] > 0, "rule " + id + " has no negative test"));
        }
        for (long tested : counts.keySet()) {
            checks.add(() -> assertTrue(ids.contains(tested), "tests for unknown rule " + tested));
        }
        assertAll(checks);
    }

    @Test
    void engineLoadsTheBundledSet() {
        Waf waf = Waf.builder().bundledRules().paranoiaLevel(4).build();
        long rules = waf.rules().stream().filter(r -> r.id() > 0).count();
        long declared = 0;
        for (String file : TestData.ruleFiles()) {
            for (JsonNode r : TestData.ruleFile(file).get("rules")) {
                if (!r.has("marker")) {
                    declared++;
                }
            }
        }
        assertEquals(declared, rules, "rules loaded by the engine");
        for (Rule r : waf.rules()) {
            if (r.id() > 0) {
                assertTrue(r.paranoiaLevel() >= 1 && r.paranoiaLevel() <= 4, "rule " + r.id());
            }
        }
    }
}

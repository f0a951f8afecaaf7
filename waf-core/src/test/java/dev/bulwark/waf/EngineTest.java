package dev.bulwark.waf;

import dev.bulwark.waf.audit.AuditEvent;
import dev.bulwark.waf.rule.Rule;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineTest {

    static Waf waf(String yaml) {
        return Waf.builder().serviceLoader(false).rules("test.yaml", yaml).build();
    }

    static Verdict get(Waf waf, String uri, String... headers) {
        try (Transaction tx = waf.newTransaction()) {
            tx.connection("127.0.0.1", 5555, "127.0.0.1", 8080);
            tx.requestLine("GET", uri, "HTTP/1.1");
            for (int i = 0; i < headers.length; i += 2) {
                tx.requestHeader(headers[i], headers[i + 1]);
            }
            Verdict v = tx.processRequestHeaders();
            if (v.interrupts()) {
                return v;
            }
            return tx.processRequestBody();
        }
    }

    static Verdict post(Waf waf, String uri, String contentType, String body) {
        try (Transaction tx = waf.newTransaction()) {
            tx.requestLine("POST", uri, "HTTP/1.1");
            tx.requestHeader("Content-Type", contentType);
            Verdict v = tx.processRequestHeaders();
            if (v.interrupts()) {
                return v;
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            v = tx.requestBody(b, 0, b.length);
            if (v.interrupts()) {
                return v;
            }
            return tx.processRequestBody();
        }
    }

    static final String DENY_SCRIPT = """
            rules:
              - id: 1
                phase: 1
                targets: [ARGS]
                transforms: [urlDecodeUni, lowercase]
                operator: "@rx <script"
                action: deny
                msg: "script tag in %{MATCHED_VAR_NAME}"
            """;

    @Test
    void denyRuleInterruptsWithMatchDetails() {
        Verdict v = get(waf(DENY_SCRIPT), "/search?q=%3CSCRIPT%3Ealert(1)");
        Verdict.Deny d = assertInstanceOf(Verdict.Deny.class, v);
        assertEquals(403, d.status());
        assertEquals(1, d.ruleId());
        RuleMatch m = d.matches().get(0);
        assertEquals("ARGS:q", m.variable());
        assertEquals("script tag in ARGS:q", m.message());
        assertTrue(m.value().startsWith("<script>"), m.value());
    }

    @Test
    void caseOnlyAndUntriggeredStepsKeepTheirEffectOnMatching() {
        String yaml = """
                rules:
                  - {id: 2, phase: 1, targets: [ARGS], transforms: [urlDecodeUni, htmlEntityDecode, lowercase], operator: '@rx union\\s+select', action: deny}
                  - {id: 3, phase: 1, targets: [ARGS], transforms: [removeWhitespace, lowercase], operator: "@rx kelvin", action: deny}
                """;
        Waf w = waf(yaml);
        assertEquals(2, ((Verdict.Deny) get(w, "/?q=UNION+SELECT")).ruleId(), "+ decodes to a space");
        assertEquals(2, ((Verdict.Deny) get(w, "/?q=UnIoN%09SeLeCt")).ruleId());
        assertEquals(3, ((Verdict.Deny) get(w, "/?q=KEL+VIN")).ruleId(), "whitespace removal is a real change");
        assertEquals(3, ((Verdict.Deny) get(w, "/?q=%E2%84%AAelvin")).ruleId(), "Kelvin sign lowercases to k");
        assertFalse(get(w, "/?q=union-select").interrupts());
    }

    /**
     * Rules with the same targets and chain share one gate (the union of their summaries); a rule
     * whose pattern has no literal requirement never enters such a union and must still run.
     */
    @Test
    void sharedRuleGatesNeverSkipAnUnfilteredPattern() {
        String yaml = """
                rules:
                  - {id: 40, phase: 2, targets: [ARGS, ARGS_NAMES], transforms: [lowercase], operator: '@rx select\\s+from', action: deny}
                  - {id: 41, phase: 2, targets: [ARGS, ARGS_NAMES], transforms: [lowercase], operator: '@rx ^.{3}$', action: deny}
                  - {id: 42, phase: 2, targets: [ARGS, ARGS_NAMES], transforms: [lowercase], operator: '@rx <script', action: deny}
                """;
        Waf w = waf(yaml);
        assertEquals(41, ((Verdict.Deny) get(w, "/?q=abc")).ruleId());
        assertEquals(40, ((Verdict.Deny) get(w, "/?q=SELECT+%0A+FROM+t")).ruleId());
        assertEquals(42, ((Verdict.Deny) get(w, "/?comment=a+%3Cscript%3E")).ruleId());
        assertFalse(get(w, "/?q=hello+world").interrupts());
    }

    /**
     * A rule whose pattern needs characters (here '<', '=', a line break) that no member has is
     * skipped without a scan; that answer is the asking rule's own and must not stand in for the
     * shared gate or summary of other rules with the same targets and chain.
     */
    @Test
    void requiredCharacterKindsSkipOnlyTheRuleThatNeedsThem() {
        String yaml = """
                rules:
                  - {id: 50, phase: 2, targets: [ARGS, ARGS_NAMES], transforms: [lowercase], operator: '@rx <x', action: deny}
                  - {id: 51, phase: 2, targets: [ARGS, ARGS_NAMES], transforms: [lowercase], operator: '@rx a=b', action: deny}
                  - {id: 52, phase: 2, targets: [ARGS], transforms: [lowercase], operator: '@rx http/1\\.[01][\\r\\n]', action: deny}
                  - {id: 53, phase: 2, targets: [ARGS], transforms: [trim], operator: '@rx ^<y>$', action: deny}
                """;
        Waf w = waf(yaml);
        assertEquals(51, ((Verdict.Deny) get(w, "/?q=A%3DB")).ruleId());
        assertEquals(50, ((Verdict.Deny) get(w, "/?q=%3CX")).ruleId());
        assertFalse(get(w, "/?q=HTTP/1.1+x").interrupts(), "a space is no line break");
        assertEquals(52, ((Verdict.Deny) get(w, "/?q=HTTP/1.1%0D%0AHost")).ruleId());
        assertEquals(53, ((Verdict.Deny) get(w, "/?q=+%3Cy%3E%09")).ruleId(), "trimmed values use the untrimmed scan");
        assertFalse(get(w, "/?q=+%3Cy%3E+z").interrupts());
    }

    @Test
    void benignRequestPasses() {
        Verdict v = get(waf(DENY_SCRIPT), "/search?q=hello+world");
        assertFalse(v.interrupts());
        assertTrue(v.matches().isEmpty());
    }

    @Test
    void anomalyScoringNeedsThreshold() {
        String yaml = """
                rules:
                  - {id: 10, phase: 1, targets: [ARGS], operator: "@contains aaa", severity: WARNING}
                  - {id: 11, phase: 1, targets: [ARGS], operator: "@contains bbb", severity: WARNING}
                """;
        Waf w = waf(yaml);
        assertFalse(get(w, "/?x=aaa").interrupts(), "one warning (3) is below the threshold 5");
        Verdict v = get(w, "/?x=aaa&y=bbb");
        Verdict.Deny d = assertInstanceOf(Verdict.Deny.class, v);
        assertEquals(10, d.ruleId());
        assertEquals(2, d.matches().size());
    }

    @Test
    void paranoiaLevelFiltersRules() {
        String yaml = """
                rules:
                  - {id: 20, phase: 1, paranoia: 2, targets: [ARGS], operator: "@contains evil"}
                """;
        Waf pl1 = Waf.builder().serviceLoader(false).rules("t", yaml).allowEmptyRuleSet(true).build();
        assertFalse(get(pl1, "/?x=evil").interrupts());
        Waf pl2 = Waf.builder().serviceLoader(false).paranoiaLevel(2).rules("t", yaml).build();
        assertTrue(get(pl2, "/?x=evil").interrupts());
    }

    @Test
    void chainRequiresAllLinksAndRunsSetvarOnlyOnFullMatch() {
        String yaml = """
                rules:
                  - id: 30
                    phase: 1
                    targets: [ARGS:cmd]
                    operator: "@streq run"
                    action: pass
                    setvar: ["tx.hits=+1"]
                    chain:
                      targets: [REQUEST_METHOD]
                      operator: "@streq GET"
                  - id: 31
                    phase: 1
                    targets: [TX:hits]
                    operator: "@ge 1"
                    action: deny
                    status: 406
                """;
        Waf w = waf(yaml);
        Verdict.Deny d = assertInstanceOf(Verdict.Deny.class, get(w, "/?cmd=run"));
        assertEquals(406, d.status());
        assertEquals(31, d.ruleId());
        assertFalse(post(w, "/?cmd=run", "text/plain", "x").interrupts(), "chain fails on POST");
    }

    @Test
    void skipAfterJumpsToMarker() {
        String yaml = """
                rules:
                  - {id: 40, phase: 1, targets: [REQUEST_FILENAME], operator: "@beginsWith /static/", action: pass, skipAfter: END}
                  - {id: 41, phase: 1, targets: [ARGS], operator: "@contains bad", action: deny}
                  - marker: END
                  - {id: 42, phase: 1, targets: [ARGS], operator: "@contains worse", action: deny}
                """;
        Waf w = waf(yaml);
        assertFalse(get(w, "/static/a.css?x=bad").interrupts());
        assertTrue(get(w, "/app?x=bad").interrupts());
        assertEquals(42, ((Verdict.Deny) get(w, "/static/a.css?x=worse")).ruleId());
    }

    @Test
    void exclusionsAndRuntimeTargetRemoval() {
        String yaml = """
                rules:
                  - {id: 50, phase: 1, targets: [REQUEST_FILENAME], operator: "@streq /login", action: pass, ctl: ["ruleRemoveTargetById=52;ARGS:password"]}
                  - {id: 51, phase: 1, targets: [ARGS, "!ARGS:/^safe_/"], operator: "@contains '", action: deny}
                  - {id: 52, phase: 1, targets: [ARGS], operator: "@contains --", action: deny}
                """;
        Waf w = waf(yaml);
        assertFalse(get(w, "/x?safe_name=o'brien").interrupts());
        assertTrue(get(w, "/x?name=o'brien").interrupts());
        assertFalse(get(w, "/login?password=a--b").interrupts());
        assertTrue(get(w, "/other?password=a--b").interrupts());
    }

    @Test
    void countTargetAndNegation() {
        String yaml = """
                rules:
                  - {id: 60, phase: 1, targets: ["&ARGS"], operator: "@gt 2", action: deny}
                  - {id: 61, phase: 1, targets: [REQUEST_METHOD], operator: "!@within GET POST HEAD", action: deny, status: 405}
                """;
        Waf w = waf(yaml);
        assertFalse(get(w, "/?a=1&b=2").interrupts());
        assertEquals(60, ((Verdict.Deny) get(w, "/?a=1&b=2&c=3")).ruleId());
        try (Transaction tx = w.newTransaction()) {
            tx.requestLine("TRACE", "/", "HTTP/1.1");
            assertEquals(405, ((Verdict.Deny) tx.processRequestHeaders()).status());
        }
    }

    @Test
    void detectionOnlyRecordsButPasses() {
        List<AuditEvent> events = new ArrayList<>();
        Waf w = Waf.builder().serviceLoader(false).mode(Mode.DETECTION_ONLY).rules("t", DENY_SCRIPT)
                .auditSink(events::add).build();
        try (Transaction tx = w.newTransaction("abc")) {
            tx.requestLine("GET", "/?q=<script>", "HTTP/1.1");
            Verdict v = tx.processRequestHeaders();
            assertFalse(v.interrupts());
            assertEquals(1, v.matches().size());
            assertInstanceOf(Verdict.Deny.class, tx.detectedVerdict());
        }
        assertEquals(1, events.size());
        assertEquals("detected-deny", events.get(0).action());
        assertEquals("abc", events.get(0).transactionId());
    }

    @Test
    void modeOffRunsNothing() {
        Waf w = waf(DENY_SCRIPT).withMode(Mode.OFF);
        assertFalse(get(w, "/?q=<script>").interrupts());
    }

    @Test
    void bodyLimitRejectsWith413() {
        Waf w = Waf.builder().serviceLoader(false).limits(Limits.defaults().withMaxRequestBodyBytes(100).withMaxInspectedBodyBytes(50))
                .allowEmptyRuleSet(true).build();
        Verdict v = post(w, "/", "text/plain", "x".repeat(60));
        assertEquals(413, ((Verdict.Deny) v).status());
        Waf partial = Waf.builder().serviceLoader(false).rules("t", """
                rules:
                  - {id: 70, targets: [REQUEST_BODY], operator: "@contains evil", action: deny}
                """).limits(Limits.defaults().withMaxRequestBodyBytes(100).withMaxInspectedBodyBytes(50)
                .withOnBodyLimit(Limits.BodyLimitAction.INSPECT_PARTIAL)).build();
        assertFalse(post(partial, "/", "text/plain", "x".repeat(60)).interrupts());
        assertTrue(post(partial, "/", "text/plain", "evil" + "x".repeat(60)).interrupts());
        assertFalse(post(partial, "/", "text/plain", "x".repeat(60) + "evil").interrupts(), "past the inspected prefix");
        assertEquals(413, ((Verdict.Deny) post(partial, "/", "text/plain", "x".repeat(101))).status());
    }

    @Test
    void formBodyArgsAreInspectedInPhase2() {
        String yaml = """
                rules:
                  - {id: 80, targets: [ARGS_POST], operator: "@contains union select", action: deny, transforms: [lowercase]}
                """;
        Waf w = waf(yaml);
        assertTrue(post(w, "/", "application/x-www-form-urlencoded", "a=1&q=UNION+SELECT").interrupts());
        assertFalse(post(w, "/", "application/x-www-form-urlencoded", "a=1&q=hello").interrupts());
    }

    @Test
    void captureAndMacrosInLogData() {
        String yaml = """
                rules:
                  - id: 90
                    phase: 1
                    targets: [REQUEST_HEADERS:User-Agent]
                    operator: "@rx (sqlmap|nikto)/([0-9.]+)"
                    capture: true
                    action: deny
                    logdata: "scanner %{TX.1} version %{tx.2} from %{REMOTE_ADDR}"
                """;
        Verdict v = get(waf(yaml), "/", "User-Agent", "sqlmap/1.7.2#stable");
        RuleMatch m = v.matches().get(0);
        assertEquals("scanner sqlmap version 1.7.2 from 127.0.0.1", m.logData());
        assertEquals("REQUEST_HEADERS:User-Agent", m.variable());
    }

    @Test
    void regexQuantifierAfterPercentIsNotAMacro() {
        String yaml = """
                rules:
                  - {id: 91, phase: 1, targets: [ARGS], operator: "@rx x%{1,2}y", action: deny, msg: "%{MATCHED_VAR_NAME} %{1,2}"}
                """;
        Waf w = waf(yaml);
        Verdict v = get(w, "/?a=x%25%25y");
        assertTrue(v.interrupts());
        assertEquals("ARGS:a %{1,2}", v.matches().get(0).message());
        assertFalse(get(w, "/?a=xy").interrupts());
    }

    @Test
    void responsePhasesAndOutboundScore() {
        String yaml = """
                rules:
                  - {id: 95, phase: 4, targets: [RESPONSE_BODY], operator: "@contains java.lang.NullPointerException", severity: ERROR}
                  - {id: 96, phase: 3, targets: ["RESPONSE_HEADERS:X-Powered-By"], operator: "@contains PHP", action: pass, severity: NOTICE}
                """;
        Waf w = waf(yaml);
        try (Transaction tx = w.newTransaction()) {
            tx.requestLine("GET", "/", "HTTP/1.1");
            tx.processRequestHeaders();
            tx.processRequestBody();
            assertFalse(tx.processResponseHeaders(500, List.of(Map.entry("X-Powered-By", "PHP/8"))).interrupts());
            byte[] b = "Exception: java.lang.NullPointerException at Foo".getBytes(StandardCharsets.UTF_8);
            tx.responseBody(b, 0, b.length);
            Verdict v = tx.processResponseBody();
            assertEquals(95, ((Verdict.Deny) v).ruleId());
        }
    }

    @Test
    void knowsWhetherAnyRuleInspectsResponses() {
        assertFalse(waf(DENY_SCRIPT).inspectsResponses());
        assertTrue(waf("""
                rules:
                  - {id: 98, phase: 4, targets: [RESPONSE_BODY], operator: "@contains ORA-", action: deny}
                """).inspectsResponses());
        assertFalse(Waf.builder().serviceLoader(false).rules("t", """
                rules:
                  - {id: 99, phase: 3, paranoia: 3, targets: [RESPONSE_STATUS], operator: "@eq 500", action: deny}
                """).allowEmptyRuleSet(true).build().inspectsResponses(), "a rule above the paranoia level does not count");
    }

    @Test
    void secretsAreMaskedInMatches() {
        String yaml = """
                rules:
                  - {id: 97, phase: 1, targets: [ARGS], operator: "@contains 4111", action: deny}
                """;
        Verdict v = get(waf(yaml), "/?card=4111111111111111");
        String value = v.matches().get(0).value();
        assertFalse(value.contains("4111111111111111"), value);
        assertTrue(value.endsWith("1111"), value);
    }

    @Test
    void ruleBuiltInCodeWithCustomOperator() {
        Rule rule = Rule.builder(500).phase(Phase.REQUEST_HEADERS).target("ARGS:n")
                .operator((input, ctx) -> input.length() % 2 == 1).action(Rule.Action.DENY).build();
        Waf w = Waf.builder().serviceLoader(false).rule(rule).build();
        assertTrue(get(w, "/?n=abc").interrupts());
        assertFalse(get(w, "/?n=ab").interrupts());
    }

    @Test
    void phaseCalledTwiceReturnsSameVerdict() {
        Waf w = waf(DENY_SCRIPT);
        try (Transaction tx = w.newTransaction()) {
            tx.requestLine("GET", "/?q=<script>", "HTTP/1.1");
            Verdict a = tx.processRequestHeaders();
            Verdict b = tx.processRequestHeaders();
            assertEquals(a, b);
            assertEquals(1, tx.matches().size());
            assertEquals(a, tx.processResponseHeaders(200, List.of()), "later phases keep the interruption");
        }
    }

    @Test
    void noAuditEventForCleanTransactionUnlessAuditAll() {
        List<AuditEvent> events = new ArrayList<>();
        Waf w = Waf.builder().serviceLoader(false).auditSink(events::add).allowEmptyRuleSet(true).build();
        get(w, "/");
        assertTrue(events.isEmpty());
        Waf all = Waf.builder().serviceLoader(false).auditSink(events::add).auditAll(true).allowEmptyRuleSet(true).build();
        get(all, "/");
        assertEquals(1, events.size());
        assertEquals("pass", events.get(0).action());
        assertNull(events.get(0).matches().isEmpty() ? null : "x");
        assertNotNull(events.get(0).timestamp());
    }
}

package dev.bulwark.waf.internal;

import dev.bulwark.waf.Transaction;
import dev.bulwark.waf.Verdict;
import dev.bulwark.waf.Waf;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short values recur between requests, so each thread keeps them with what was derived from
 * them. Those objects are not thread-safe: a transaction that continues on another thread must
 * let go of them, and verdicts must never depend on which thread saw a value first.
 */
class RecentValuesTest {

    private static final String RULES = """
            rules:
              - {id: 1, phase: 1, targets: [REQUEST_HEADERS], transforms: [urlDecodeUni, lowercase], operator: '@rx <script', action: deny}
              - {id: 2, phase: 2, targets: [REQUEST_HEADERS], transforms: [removeWhitespace, lowercase], operator: '@rx unionselect', action: deny}
            """;

    private static Waf waf() {
        return Waf.builder().serviceLoader(false).rules("t.yaml", RULES).build();
    }

    private static EngineTransaction begin(Waf waf, String headerValue) {
        EngineTransaction tx = (EngineTransaction) waf.newTransaction();
        tx.requestLine("GET", "/", "HTTP/1.1");
        tx.requestHeader("X-Test", headerValue);
        return tx;
    }

    @Test
    void recurringValuesAreSharedOnOneThreadAndReleasedWhenATransactionMoves() throws Exception {
        Waf waf = waf();
        EngineTransaction first = begin(waf, "hello world");
        first.processRequestHeaders();
        Derived shared = first.valuesOf("REQUEST_HEADERS").get(0);
        EngineTransaction second = begin(waf, "hello world");
        second.processRequestHeaders();
        assertSame(shared, second.valuesOf("REQUEST_HEADERS").get(0), "same thread, same value: one object");

        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Verdict v = other.submit(first::processRequestBody).get(10, TimeUnit.SECONDS);
            assertTrue(!v.interrupts());
            Derived moved = first.valuesOf("REQUEST_HEADERS").get(0);
            assertNotSame(shared, moved, "a transaction on another thread holds a private copy");
            assertEquals("hello world", moved.text);
        } finally {
            other.shutdownNow();
        }
        assertSame(shared, second.valuesOf("REQUEST_HEADERS").get(0), "the owner thread keeps its value");
        first.close();
        second.close();

        EngineTransaction longValue = begin(waf, "x".repeat(Engine.SHARED_VALUE_MAX_LENGTH + 1));
        longValue.processRequestHeaders();
        EngineTransaction again = begin(waf, "x".repeat(Engine.SHARED_VALUE_MAX_LENGTH + 1));
        again.processRequestHeaders();
        assertNotSame(longValue.valuesOf("REQUEST_HEADERS").get(0), again.valuesOf("REQUEST_HEADERS").get(0),
                "long values are never shared");
    }

    /** Many threads, transactions handed between them mid-way; every verdict must stay exact. */
    @Test
    void verdictsStayExactWhileTransactionsMigrateBetweenThreads() throws Exception {
        Waf waf = waf();
        String[] values = {"hello world", "%3Cscript%3Ealert(1)", "UNION  SELECT", "plain", "union select"};
        int[] expected = {0, 1, 2, 0, 2};
        ExecutorService pool = Executors.newFixedThreadPool(3);
        ExecutorService continuations = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int task = 0; task < 8; task++) {
                int seed = task;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 400; i++) {
                        int k = (i + seed) % values.length;
                        EngineTransaction tx = begin(waf, values[k]);
                        Verdict v = tx.processRequestHeaders();
                        if (!v.interrupts()) {
                            // Continue on another thread, as an asynchronous request may.
                            v = continuations.submit(tx::processRequestBody).get();
                        }
                        long got = v instanceof Verdict.Deny d ? d.ruleId() : 0;
                        tx.close();
                        if (got != expected[k]) {
                            return values[k] + ": rule " + got + " instead of " + expected[k];
                        }
                    }
                    return null;
                }));
            }
            for (Future<String> f : results) {
                assertEquals(null, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            continuations.shutdownNow();
        }
    }
}

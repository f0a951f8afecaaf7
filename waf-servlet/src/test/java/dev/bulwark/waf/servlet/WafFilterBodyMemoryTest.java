package dev.bulwark.waf.servlet;

import dev.bulwark.waf.Waf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request body memory: buffers follow the bytes received, not the declared length, and all bodies
 * together stay within {@code limits.maxInFlightBodyBytes}, with nothing leaked when clients abort.
 */
class WafFilterBodyMemoryTest {

    private JettyHarness jetty;

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.close();
        }
    }

    private static Waf waf(long inFlight) {
        Waf w = WafFilterTest.waf().build();
        return Waf.builder().rules("filter-rules.yaml", WafFilterTest.rules()).serviceLoader(false)
                .limits(w.limits().withMaxInFlightBodyBytes(inFlight)).build();
    }

    /** Waits (bounded) until {@code value} reaches {@code expected}; returns the last value seen. */
    private static long await(LongSupplier value, long expected) throws InterruptedException {
        long v = value.getAsLong();
        for (int i = 0; i < 200 && v != expected; i++) {
            Thread.sleep(50);
            v = value.getAsLong();
        }
        return v;
    }

    @Test
    void declaredLengthReservesNothingAndAbortsGiveEverythingBack() throws Exception {
        WafFilter filter = new WafFilter(waf(256L << 20));
        jetty = new JettyHarness(filter, Map.of(), new EchoServlet());
        BodyBudget budget = filter.bodyBudget();
        int clients = 40;
        List<Socket> sockets = new ArrayList<>();
        try {
            byte[] kilobyte = new byte[1024];
            Arrays.fill(kilobyte, (byte) 'a');
            for (int i = 0; i < clients; i++) {
                Socket s = new Socket();
                sockets.add(s);
                s.connect(new InetSocketAddress("127.0.0.1", jetty.uri("/").getPort()), 5000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Length: 10000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(kilobyte);
                out.flush();
            }
            // Each of the 40 bodies holds its first 8 KiB buffer, not the declared 10 MB (400 MB in all).
            long used = await(budget::used, clients * 8192L);
            assertEquals(clients * 8192L, used, "one small buffer per body while the rest is pending");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertEquals(0, await(budget::used, 0), "aborted bodies gave their memory back");
        assertEquals(200, jetty.get("/echo?q=still+fine").statusCode());
    }

    @Test
    void bodyBeyondTheBudgetGets503WithRetryAfterAndOthersStillPass() throws Exception {
        WafFilter filter = new WafFilter(waf(20_000));
        jetty = new JettyHarness(filter, Map.of(), new EchoServlet());
        byte[] big = new byte[40_000];
        Arrays.fill(big, (byte) 'b');
        HttpResponse<String> r = jetty.post("/echo", "application/octet-stream", big);
        assertEquals(503, r.statusCode());
        assertEquals(BlockPages.RETRY_AFTER_SECONDS, r.headers().firstValue("Retry-After").orElseThrow());
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertEquals(BlockPages.html(503, id), r.body());
        assertEquals(0, await(filter.bodyBudget()::used, 0));

        HttpResponse<String> small = jetty.post("/echo", "application/x-www-form-urlencoded",
                "a=1&b=2".getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, small.statusCode());
        assertTrue(small.body().contains("\"a\""), small.body());
        assertEquals(0, await(filter.bodyBudget()::used, 0), "released after a normal request too");
    }

    @Test
    void aWaitingBodyProceedsOnceAnotherReleases() throws Exception {
        BodyBudget budget = new BodyBudget(10_000);
        BodyBudget.Reservation first = budget.reserve();
        assertTrue(first.grow(8_000, 0));
        BodyBudget.Reservation second = budget.reserve();
        assertEquals(false, second.grow(8_000, 0), "no room now");
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            first.close();
        });
        releaser.start();
        assertTrue(second.grow(8_000, 10_000), "room once the first is closed");
        releaser.join();
        first.close();
        assertEquals(8_000, budget.used(), "closing twice releases once");
        second.close();
        assertEquals(0, budget.used());
        assertEquals(false, second.grow(1, 0), "a closed reservation takes nothing");
        assertEquals(false, budget.reserve().grow(10_001, 10_000), "more than the whole budget fails at once");
        assertEquals(0, budget.used());
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}

package dev.bulwark.waf.differential;

import dev.bulwark.waf.Waf;
import dev.bulwark.waf.differential.DifferentialCases.Case;
import dev.bulwark.waf.differential.DifferentialCases.Kind;
import dev.bulwark.waf.proxy.ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Parser differential: every value the application sees must be a value the WAF inspected.
 *
 * <p>Each case is a raw request with a canary attack payload in the position under test. It is
 * sent to the Bulwark proxy (bundled rules, default settings) in front of a backend that records
 * the forwarded bytes. The case passes when the proxy refuses it (any 4xx), or when the
 * forwarded bytes, replayed into a real Jetty 12 and a real Tomcat 11 application with no WAF,
 * give the application no value that carries the payload as the application decodes it
 * (parameters, parts, headers, path, body and what a body-reading application derives from it;
 * see {@link ViewServlet}). A container that refuses the replayed request itself counts as "no
 * payload received", which is how the cases Tomcat or Jetty reject on their own still pass.
 * Answers the proxy gives without forwarding that are not 4xx (5xx) fail: bad input must get a
 * clean 4xx.
 *
 * <p>Benign twins of the same structures must get through (2xx) with their harmless value
 * intact; a guard against a fix that refuses whole features. {@link #everyGroupHasAVariantThatReachesAnUnprotectedApplication}
 * checks the suite itself: in each group at least one variant does deliver its payload to Jetty
 * or Tomcat when no WAF is in front, so the group cannot pass vacuously.
 *
 * <p>A summary of every failing case (what the proxy answered, what each server saw) is written
 * to {@code target/differential-report.md}.
 */
class ParserDifferentialTest {

    private static RawRecordingBackend backend;
    private static ProxyServer proxy;
    private static JettyApp jetty;
    private static TomcatApp tomcat;
    private static final DifferentialReport REPORT = new DifferentialReport();
    /** {@code -Dbulwark.diff.live=true}: also send every attack straight to the servers and report which deliver it. */
    private static final boolean LIVENESS = Boolean.getBoolean("bulwark.diff.live");

    @BeforeAll
    static void start() throws Exception {
        backend = new RawRecordingBackend();
        jetty = new JettyApp();
        tomcat = new TomcatApp();
        proxy = ProxyServer.start(Waf.builder().bundledRules().build(), "127.0.0.1", 0, backend.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            REPORT.write(Path.of("target", "differential-report.md"));
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {proxy, tomcat, jetty, backend}) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    static Stream<Case> attacks() {
        return DifferentialCases.attacks().stream();
    }

    static Stream<Case> benignTwins() {
        return DifferentialCases.benign().stream();
    }

    /** The proxy's answer and, when it forwarded, what each application saw of the forwarded bytes. */
    record Outcome(int status, byte[] forwarded, List<AppView> views) {
        List<AppView> carrying(Probe probe) {
            return views.stream().filter(v -> !v.carrying(probe).isEmpty()).toList();
        }

        String describe(Probe probe) {
            String proxyPart = "proxy " + (status < 0 ? "closed" : status) + (forwarded == null ? ", nothing forwarded" : ", forwarded");
            return views.isEmpty() ? proxyPart
                    : proxyPart + "; " + views.stream().map(v -> v.summary(probe)).collect(Collectors.joining("; "));
        }
    }

    private static Outcome throughProxy(Case c) throws InterruptedException {
        backend.clear();
        RawHttp.Response r = RawHttp.exchange(proxy.port(), c.request());
        // The backend records before it answers, and the proxy answers after the backend; a 4xx
        // (the backend only ever answers 200) means the proxy answered without forwarding.
        byte[] forwarded = backend.next(r.status() / 100 == 2 ? 2_000 : r.status() / 100 == 4 ? 0 : 200);
        if (forwarded == null || c.kind() == Kind.BOMB) {
            return new Outcome(r.status(), forwarded, List.of());
        }
        List<AppView> views = new ArrayList<>(jetty.views(forwarded));
        views.addAll(tomcat.views(forwarded));
        return new Outcome(r.status(), forwarded, views);
    }

    private static List<AppView> direct(Case c) {
        List<AppView> views = new ArrayList<>(jetty.views(c.request()));
        views.addAll(tomcat.views(c.request()));
        return views;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void blockedOrNoPayloadReachesTheApplication(Case c) throws Exception {
        Outcome o = throughProxy(c);
        if (c.kind() == Kind.BOMB) {
            REPORT.record(c, o, o.status() == 413);
            assertEquals(413, o.status(), "a compression bomb must be refused with 413 without being forwarded: " + o.describe(c.probe()));
            return;
        }
        if (LIVENESS) {
            REPORT.live(c, direct(c).stream().filter(v -> !v.carrying(c.probe()).isEmpty()).map(AppView::server).toList());
        }
        boolean refused = o.status() / 100 == 4;
        boolean clean = o.forwarded() != null ? o.carrying(c.probe()).isEmpty() : o.status() < 0 || o.status() / 100 == 2;
        REPORT.record(c, o, refused || clean);
        if (refused) {
            return;
        }
        if (o.forwarded() == null) {
            assertTrue(clean, "the proxy answered " + o.status() + " without forwarding: bad input must get a clean 4xx");
            return;
        }
        assertTrue(clean, "payload reached the application: " + o.describe(c.probe()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("benignTwins")
    void benignTwinPasses(Case c) throws Exception {
        Outcome o = throughProxy(c);
        REPORT.record(c, o, o.status() / 100 == 2 && !o.carrying(c.probe()).isEmpty());
        assertEquals(2, o.status() / 100, "a well-formed benign request must pass: " + o.describe(c.probe()));
        assertNotNull(o.forwarded(), "the benign request must reach the backend");
        assertTrue(!o.carrying(c.probe()).isEmpty(),
                "the harmless value must reach the application intact (Jetty or Tomcat): " + o.describe(c.probe()));
    }

    @Test
    void everyGroupHasAVariantThatReachesAnUnprotectedApplication() {
        Map<String, List<Case>> groups = new LinkedHashMap<>();
        for (Case c : DifferentialCases.attacks()) {
            if (c.kind() == Kind.ATTACK) {
                groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
            }
        }
        List<String> vacuous = new ArrayList<>();
        for (Map.Entry<String, List<Case>> g : groups.entrySet()) {
            boolean live = false;
            for (Case c : g.getValue()) {
                if (direct(c).stream().anyMatch(v -> !v.carrying(c.probe()).isEmpty())) {
                    live = true;
                    break;
                }
            }
            if (!live) {
                vacuous.add(g.getKey());
            }
        }
        if (!vacuous.isEmpty()) {
            fail("no variant of these groups delivers its payload to Jetty or Tomcat even without a WAF, "
                    + "so they test nothing: " + vacuous);
        }
    }
}

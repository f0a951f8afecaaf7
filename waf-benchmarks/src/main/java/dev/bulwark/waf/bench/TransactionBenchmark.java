package dev.bulwark.waf.bench;

import dev.bulwark.waf.RuleMatch;
import dev.bulwark.waf.Transaction;
import dev.bulwark.waf.Verdict;
import dev.bulwark.waf.Waf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A whole transaction over the bundled rules (in blocking mode, anomaly scoring, no audit sink):
 * connection, request line, headers, phase 1, body and phase 2 for POSTs, response status and
 * headers (phase 3), an empty response body (phase 4), and close (logging phase). All four
 * requests are benign, so every phase runs; the trial setup prints any rule that still matches
 * (a false positive would otherwise hide as a short-circuited, faster transaction).
 *
 * <p>Transactions get a pre-made id so the figure excludes {@code UUID.randomUUID()}, which
 * {@link Waf#newTransaction()} would add.
 *
 * <p>Run (from the repository root, after
 * {@code mvn -B -q -pl waf-benchmarks -am package -DskipTests}):
 * <pre>
 * java -jar waf-benchmarks/target/benchmarks.jar TransactionBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 * Targets on the 2-core development machine: simple GET at most 20 us, 4 KB POST at most 100 us.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TransactionBenchmark {

    /** The CRS paranoia level of the bundled rules. */
    @Param({"1", "2"})
    public int paranoia;

    private Waf waf;
    private HttpFixtures.Exchange simpleGet;
    private HttpFixtures.Exchange getWith10Params;
    private HttpFixtures.Exchange formPost;
    private HttpFixtures.Exchange jsonPost;

    /** Compiles the bundled rules once per trial and checks that the fixtures pass cleanly. */
    @Setup(Level.Trial)
    public void setUp() {
        waf = Waf.builder().bundledRules().serviceLoader(false).paranoiaLevel(paranoia).build();
        simpleGet = HttpFixtures.simpleGet();
        getWith10Params = HttpFixtures.getWith10Params();
        formPost = HttpFixtures.formPost();
        jsonPost = HttpFixtures.jsonPost();
        for (HttpFixtures.Exchange e : List.of(simpleGet, getWith10Params, formPost, jsonPost)) {
            report(e, waf, run(waf, e));
        }
    }

    /** A browser page load: no query, twelve headers. */
    @Benchmark
    public Verdict simpleGet() {
        return run(waf, simpleGet);
    }

    /** A search page with ten query parameters. */
    @Benchmark
    public Verdict getWith10Params() {
        return run(waf, getWith10Params);
    }

    /** A 4 KB urlencoded form POST. */
    @Benchmark
    public Verdict formPost4k() {
        return run(waf, formPost);
    }

    /** A 4 KB JSON POST. */
    @Benchmark
    public Verdict jsonPost4k() {
        return run(waf, jsonPost);
    }

    /** Drives one exchange the way a connector does, stopping at the first interruption. */
    static Verdict run(Waf waf, HttpFixtures.Exchange e) {
        try (Transaction tx = waf.newTransaction("bench")) {
            tx.connection("198.51.100.23", 50412, "10.0.0.5", 8080);
            tx.requestLine(e.method(), e.uri(), "HTTP/1.1");
            for (var h : e.headers()) {
                tx.requestHeader(h.getKey(), h.getValue());
            }
            Verdict v = tx.processRequestHeaders();
            if (v.interrupts()) {
                return v;
            }
            if (e.body().length > 0 && tx.wantsRequestBody()) {
                v = tx.requestBody(e.body(), 0, e.body().length);
                if (v.interrupts()) {
                    return v;
                }
            }
            v = tx.processRequestBody();
            if (v.interrupts()) {
                return v;
            }
            v = tx.processResponseHeaders(200, e.responseHeaders());
            if (v.interrupts()) {
                return v;
            }
            return tx.processResponseBody();
        }
    }

    private static void report(HttpFixtures.Exchange e, Waf waf, Verdict v) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n[bulwark-bench] PL").append(waf.paranoiaLevel()).append(' ').append(e.name())
                .append(" (body ").append(e.body().length).append(" B, ").append(waf.rules().size())
                .append(" rules): ").append(v.interrupts() ? "INTERRUPTED (" + v.getClass().getSimpleName() + ")" : "pass");
        for (RuleMatch m : v.matches()) {
            sb.append("\n    matched ").append(m.ruleId()).append(' ').append(m.message());
        }
        System.out.println(sb);
    }
}

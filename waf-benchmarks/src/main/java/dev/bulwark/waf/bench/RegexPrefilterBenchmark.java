package dev.bulwark.waf.bench;

import com.google.re2j.Pattern;
import dev.bulwark.waf.match.prefilter.LiteralPrefilter;
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
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Every {@code @rx} pattern of OWASP CRS v4, read at set-up time from
 * {@code ${crs.dir}/rules/*.conf} (default {@code ../shared/corpus/crs}), run over one text:
 * {@link #re2jOnly()} calls RE2J {@code find()} for each pattern, {@link #prefiltered()} lower-cases
 * the text, runs one {@link LiteralPrefilter#scan} and then {@code find()} only for the patterns
 * whose {@code mayMatch} is true. The ratio of the two is the prefilter's speed-up.
 *
 * <p>Simplification: CRS applies transformations such as {@code t:lowercase} before matching; here
 * the regexes run on the text as is and the prefilter on its lower-cased copy (its atoms are
 * case-folded). Lower-casing is inside the measured prefiltered path. Patterns RE2J cannot
 * compile are skipped and counted at set-up. Set-up also checks that both paths find the same
 * number of matching patterns, and prints the prefilter statistics; with
 * {@code -Dbulwark.bench.unfiltered=true} it lists the patterns the prefilter cannot filter.
 *
 * <p>Run (from the repository root, after
 * {@code mvn -B -q -pl waf-benchmarks -am package -DskipTests}):
 * <pre>
 * java -jar waf-benchmarks/target/benchmarks.jar RegexPrefilterBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 * Target: the prefiltered path at least 10x faster than RE2J alone on benign text.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RegexPrefilterBenchmark {

    /** Text length in characters. */
    @Param({"1024", "65536"})
    public int size;

    /** {@code benign} prose, or {@code attack}: the same prose with payloads mixed in. */
    @Param({"benign", "attack"})
    public String text;

    private Pattern[] patterns;
    private CrsRegexes.Source[] sources;
    private int[] ids;
    private LiteralPrefilter prefilter;
    private String input;

    /** Loads the CRS regexes, builds the prefilter and the text, and cross-checks both paths. */
    @Setup(Level.Trial)
    public void setUp() {
        CrsRegexes.Loaded loaded = CrsRegexes.load(CrsRegexes.rulesDir());
        if (loaded.compiled().isEmpty()) {
            throw new IllegalStateException("no @rx pattern found under " + CrsRegexes.rulesDir());
        }
        List<CrsRegexes.Compiled> compiled = loaded.compiled();
        patterns = new Pattern[compiled.size()];
        ids = new int[compiled.size()];
        sources = new CrsRegexes.Source[compiled.size()];
        LiteralPrefilter.Builder builder = LiteralPrefilter.builder();
        int unbuildable = 0;
        for (int i = 0; i < patterns.length; i++) {
            patterns[i] = compiled.get(i).pattern();
            sources[i] = compiled.get(i).source();
            try {
                ids[i] = builder.add(compiled.get(i).source().regex());
            } catch (RuntimeException e) {
                ids[i] = -1; // the prefilter refused it: always run the regex
                unbuildable++;
            }
        }
        prefilter = builder.build();
        input = "attack".equals(text) ? BenchTexts.attack(size, 1) : BenchTexts.benign(size, 1);

        int filtered = 0;
        StringBuilder unfilteredList = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] >= 0 && prefilter.isFiltered(ids[i])) {
                filtered++;
            } else {
                String re = compiled.get(i).source().regex();
                unfilteredList.append("\n    ").append(compiled.get(i).source()).append("  ")
                        .append(re.length() > 110 ? re.substring(0, 110) + "..." : re);
            }
        }
        int plain = re2jOnly();
        int viaPrefilter = prefiltered();
        int candidates = candidates();
        StringBuilder sb = new StringBuilder("\n[bulwark-bench] ");
        sb.append(text).append(' ').append(size).append(" chars: ")
                .append(patterns.length).append(" CRS @rx patterns compiled, ")
                .append(loaded.skipped().size()).append(" skipped (RE2J cannot compile or macro), ")
                .append(unbuildable).append(" refused by the prefilter builder; prefilter patternCount=")
                .append(prefilter.patternCount()).append(" filteredCount=").append(prefilter.filteredCount())
                .append(" atomCount=").append(prefilter.atomCount()).append(" (").append(filtered)
                .append(" filtered by isFiltered); regexes run after the scan: ").append(candidates)
                .append('/').append(patterns.length).append("; matching patterns: re2jOnly=").append(plain)
                .append(" prefiltered=").append(viaPrefilter);
        for (CrsRegexes.Skipped s : loaded.skipped()) {
            sb.append("\n    skipped ").append(s.source()).append(": ").append(s.reason());
        }
        if (Boolean.getBoolean("bulwark.bench.unfiltered")) {
            sb.append("\n  unfiltered patterns (always run):").append(unfilteredList);
        }
        System.out.println(sb);
        if (plain != viaPrefilter) {
            // A prefilter that drops a real match is wrong, and a fast wrong answer is no result.
            throw new IllegalStateException("prefilter lost matches: re2jOnly found " + plain
                    + " matching patterns, prefiltered " + viaPrefilter + "; lost: " + lost());
        }
    }

    /** RE2J alone: {@code find()} for every pattern. Returns the number of matching patterns. */
    @Benchmark
    public int re2jOnly() {
        int n = 0;
        for (Pattern p : patterns) {
            if (p.matcher(input).find()) {
                n++;
            }
        }
        return n;
    }

    /** One prefilter scan, then {@code find()} only where it may match. Same result as {@link #re2jOnly()}. */
    @Benchmark
    public int prefiltered() {
        LiteralPrefilter.Scan scan = prefilter.scan(input.toLowerCase(Locale.ROOT));
        int n = 0;
        for (int i = 0; i < patterns.length; i++) {
            int id = ids[i];
            if ((id < 0 || prefilter.mayMatch(id, scan)) && patterns[i].matcher(input).find()) {
                n++;
            }
        }
        return n;
    }

    /** How many regexes the prefilter lets through for the current text. */
    private int candidates() {
        LiteralPrefilter.Scan scan = prefilter.scan(input.toLowerCase(Locale.ROOT));
        int n = 0;
        for (int id : ids) {
            if (id < 0 || prefilter.mayMatch(id, scan)) {
                n++;
            }
        }
        return n;
    }

    private String lost() {
        LiteralPrefilter.Scan scan = prefilter.scan(input.toLowerCase(Locale.ROOT));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < patterns.length; i++) {
            if (ids[i] >= 0 && !prefilter.mayMatch(ids[i], scan) && patterns[i].matcher(input).find()) {
                sb.append(' ').append(sources[i]);
            }
        }
        return sb.toString();
    }
}

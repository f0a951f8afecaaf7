package dev.bulwark.waf.bench;

import com.google.re2j.Pattern;
import dev.bulwark.waf.internal.Engine;
import dev.bulwark.waf.match.dfa.LazyDfa;
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
 * {@link #re2jOnly()} calls RE2J {@code find()} for each pattern; {@link #prefiltered()} does what
 * the engine does for a rule without {@code capture}: it lower-cases the text, runs one
 * {@link LiteralPrefilter#scan}, and asks the {@link LazyDfa} of each pattern the literal stage
 * lets through, whose yes/no is exact (RE2J runs only where the DFA gives up).
 * {@link #prefilteredCapture()} is the path of a rule with {@code capture}: where the DFA matches,
 * RE2J still runs, from the leftmost match start the DFA found. {@link #literalOnly()} is the
 * literal stage alone followed by RE2J (the engine before the DFA). The ratio
 * {@code re2jOnly / prefiltered} is the prefilter's speed-up.
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

    /**
     * {@code all} CRS patterns, or only the {@code filterable} ones (those the prefilter derived
     * a literal requirement for): the second shows what the prefilter saves where it applies,
     * the first what it saves overall.
     */
    @Param({"all", "filterable"})
    public String patternSet;

    private Pattern[] patterns;
    /** The DFA stage per pattern; null where the pattern is unsupported (RE2J always runs). */
    private LazyDfa[] dfas;
    private CrsRegexes.Source[] sources;
    private int[] ids;
    private LiteralPrefilter prefilter;
    /** Scratch space per benchmark thread, as the engine keeps it (not allocated per scan). */
    private ThreadLocal<LiteralPrefilter.Scanner> scanners;
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
        LiteralPrefilter.Builder builder = LiteralPrefilter.builder().minAtomLength(Engine.PREFILTER_MIN_ATOM)
                .ignoreCommonCharacters(true); // as the engine builds it
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
        LiteralPrefilter built = prefilter;
        scanners = ThreadLocal.withInitial(built::newScanner);
        if ("filterable".equals(patternSet)) {
            keepOnlyFiltered();
        }
        dfas = new LazyDfa[patterns.length];
        int withDfa = 0;
        for (int i = 0; i < patterns.length; i++) {
            dfas[i] = LazyDfa.compile(sources[i].regex());
            withDfa += dfas[i] != null ? 1 : 0;
        }
        input = "attack".equals(text) ? BenchTexts.attack(size, 1) : BenchTexts.benign(size, 1);

        int filtered = 0;
        StringBuilder unfilteredList = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] >= 0 && prefilter.isFiltered(ids[i])) {
                filtered++;
            } else {
                String re = sources[i].regex();
                unfilteredList.append("\n    ").append(sources[i]).append("  ")
                        .append(re.length() > 110 ? re.substring(0, 110) + "..." : re);
            }
        }
        int plain = re2jOnly();
        int viaPrefilter = prefiltered();
        int viaLiterals = literalOnly();
        int viaCapture = prefilteredCapture();
        int candidates = candidates();
        int[] afterDfa = afterDfa();
        StringBuilder sb = new StringBuilder("\n[bulwark-bench] ");
        sb.append(patternSet).append(' ').append(text).append(' ').append(size).append(" chars: ")
                .append(compiled.size()).append(" CRS @rx patterns compiled (").append(patterns.length)
                .append(" in this set), ")
                .append(loaded.skipped().size()).append(" skipped (RE2J cannot compile or macro), ")
                .append(unbuildable).append(" refused by the prefilter builder; prefilter patternCount=")
                .append(prefilter.patternCount()).append(" filteredCount=").append(prefilter.filteredCount())
                .append(" atomCount=").append(prefilter.atomCount()).append(" (").append(filtered)
                .append(" filtered by isFiltered); lazy DFA for ").append(withDfa).append('/')
                .append(patterns.length).append(" patterns; regexes left after the scan: ").append(candidates)
                .append('/').append(patterns.length).append(", RE2J runs after the DFA: ").append(afterDfa[0])
                .append('/').append(patterns.length).append(" with capture, ").append(afterDfa[1])
                .append('/').append(patterns.length).append(" without").append("; matching patterns: re2jOnly=").append(plain)
                .append(" prefiltered=").append(viaPrefilter).append(" literalOnly=").append(viaLiterals)
                .append(" prefilteredCapture=").append(viaCapture);
        for (CrsRegexes.Skipped s : loaded.skipped()) {
            sb.append("\n    skipped ").append(s.source()).append(": ").append(s.reason());
        }
        if (Boolean.getBoolean("bulwark.bench.unfiltered")) {
            sb.append("\n  unfiltered patterns (always run):").append(unfilteredList);
            sb.append(costProfile());
        }
        System.out.println(sb);
        if (plain != viaPrefilter || plain != viaLiterals || plain != viaCapture) {
            // A prefilter that drops a real match is wrong, and a fast wrong answer is no result.
            throw new IllegalStateException("prefilter lost matches: re2jOnly found " + plain
                    + " matching patterns, prefiltered " + viaPrefilter + "; lost: " + lost());
        }
    }

    /** Drops the patterns the prefilter cannot filter (the prefilter itself stays whole). */
    private void keepOnlyFiltered() {
        int k = 0;
        for (int i = 0; i < patterns.length; i++) {
            if (ids[i] >= 0 && prefilter.isFiltered(ids[i])) {
                patterns[k] = patterns[i];
                sources[k] = sources[i];
                ids[k] = ids[i];
                k++;
            }
        }
        patterns = java.util.Arrays.copyOf(patterns, k);
        sources = java.util.Arrays.copyOf(sources, k);
        ids = java.util.Arrays.copyOf(ids, k);
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

    /**
     * The engine's path for a rule without {@code capture}: one literal scan, then the lazy DFA
     * of each pattern the scan lets through, whose yes/no is exact; RE2J runs only where the DFA
     * gives up (or a pattern has no DFA). Same result as {@link #re2jOnly()}.
     */
    @Benchmark
    public int prefiltered() {
        LiteralPrefilter.Scan scan = scanners.get().scan(input.toLowerCase(Locale.ROOT));
        int n = 0;
        for (int i = 0; i < patterns.length; i++) {
            int id = ids[i];
            if ((id < 0 || prefilter.mayMatch(id, scan)) && dfaAnswer(i)) {
                n++;
            }
        }
        return n;
    }

    private boolean dfaAnswer(int i) {
        LazyDfa.Answer a = dfas[i] == null ? LazyDfa.Answer.MAYBE : dfas[i].test(input);
        return a == LazyDfa.Answer.MAYBE ? patterns[i].matcher(input).find() : a == LazyDfa.Answer.YES;
    }

    /**
     * The engine's path for a rule with {@code capture}: literal scan, DFA, and where it matches,
     * RE2J from the leftmost match start the DFA found (RE2J must produce the groups).
     */
    @Benchmark
    public int prefilteredCapture() {
        LiteralPrefilter.Scan scan = scanners.get().scan(input.toLowerCase(Locale.ROOT));
        int n = 0;
        for (int i = 0; i < patterns.length; i++) {
            int id = ids[i];
            if ((id < 0 || prefilter.mayMatch(id, scan)) && dfaThenRe2j(i)) {
                n++;
            }
        }
        return n;
    }

    /**
     * What {@code RxOperator} does with {@code capture} after the literal stage: the DFA rejects,
     * or tells where the leftmost match starts and RE2J searches from there (same match and
     * groups as {@code find()}).
     */
    private boolean dfaThenRe2j(int i) {
        int from = dfas[i] == null ? 0 : dfas[i].matchStart(input);
        if (from < 0) {
            return false;
        }
        com.google.re2j.Matcher m = patterns[i].matcher(input);
        return from == 0 ? m.find() : m.find(from);
    }

    /** The literal stage alone: one scan, then {@code find()} where it may match (no DFA). */
    @Benchmark
    public int literalOnly() {
        LiteralPrefilter.Scan scan = scanners.get().scan(input.toLowerCase(Locale.ROOT));
        int n = 0;
        for (int i = 0; i < patterns.length; i++) {
            int id = ids[i];
            if ((id < 0 || prefilter.mayMatch(id, scan)) && patterns[i].matcher(input).find()) {
                n++;
            }
        }
        return n;
    }

    /**
     * How many regexes still run in RE2J after the literal scan and the DFA: {@code [0]} with
     * {@code capture} (the DFA says yes or gives up), {@code [1]} without (it gives up).
     */
    private int[] afterDfa() {
        LiteralPrefilter.Scan scan = scanners.get().scan(input.toLowerCase(Locale.ROOT));
        int[] n = new int[2];
        for (int i = 0; i < patterns.length; i++) {
            if (ids[i] < 0 || prefilter.mayMatch(ids[i], scan)) {
                LazyDfa.Answer a = dfas[i] == null ? LazyDfa.Answer.MAYBE : dfas[i].test(input);
                n[0] += a != LazyDfa.Answer.NO ? 1 : 0;
                n[1] += a == LazyDfa.Answer.MAYBE ? 1 : 0;
            }
        }
        return n;
    }

    /** How many regexes the prefilter lets through for the current text. */
    private int candidates() {
        LiteralPrefilter.Scan scan = scanners.get().scan(input.toLowerCase(Locale.ROOT));
        int n = 0;
        for (int id : ids) {
            if (id < 0 || prefilter.mayMatch(id, scan)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Which regexes the prefiltered path still spends its time on for this text: each one that
     * passes the prefilter, timed alone, the costliest first.
     */
    private String costProfile() {
        LiteralPrefilter.Scan scan = scanners.get().scan(input.toLowerCase(Locale.ROOT));
        int reps = Math.max(1, 20_000 / Math.max(1, input.length() / 64));
        long[] nanos = new long[patterns.length];
        long total = 0;
        for (int i = 0; i < patterns.length; i++) {
            if (ids[i] >= 0 && !prefilter.mayMatch(ids[i], scan)
                    || dfas[i] != null && !dfas[i].mayMatch(input)) {
                continue;
            }
            dfaThenRe2j(i); // warm the matcher's lazily built machinery
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                dfaThenRe2j(i);
            }
            nanos[i] = (System.nanoTime() - t0) / reps;
            total += nanos[i];
        }
        Integer[] order = new Integer[patterns.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(nanos[b], nanos[a]));
        StringBuilder sb = new StringBuilder("\n  costliest regexes still run after the scan (DFA and RE2J from the match start; ")
                .append(total / 1000).append(" us in all):");
        for (int k = 0; k < Math.min(25, order.length) && nanos[order[k]] > 0; k++) {
            int i = order[k];
            String re = sources[i].regex();
            sb.append(String.format(Locale.ROOT, "%n    %8d us %5.1f%% %s %s  %s", nanos[i] / 1000,
                    100.0 * nanos[i] / Math.max(1, total), sources[i],
                    ids[i] >= 0 && prefilter.isFiltered(ids[i]) ? "filtered, atoms present" : "unfiltered",
                    re.length() > 90 ? re.substring(0, 90) + "..." : re));
        }
        return sb.toString();
    }

    private String lost() {
        LiteralPrefilter.Scan scan = scanners.get().scan(input.toLowerCase(Locale.ROOT));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < patterns.length; i++) {
            boolean rejected = ids[i] >= 0 && !prefilter.mayMatch(ids[i], scan)
                    || dfas[i] != null && !dfas[i].mayMatch(input);
            if (rejected && patterns[i].matcher(input).find()) {
                sb.append(' ').append(sources[i]);
            }
        }
        return sb.toString();
    }
}

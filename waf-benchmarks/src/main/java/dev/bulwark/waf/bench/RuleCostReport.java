package dev.bulwark.waf.bench;

import dev.bulwark.waf.Mode;
import dev.bulwark.waf.Waf;
import dev.bulwark.waf.internal.Engine;
import dev.bulwark.waf.match.prefilter.LiteralPrefilter;
import dev.bulwark.waf.rule.Rule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ranks the bundled rules by what each costs on the benchmark requests: every rule alone in a
 * WAF, timed over many transactions. A tuning aid, not a JMH benchmark (no forks, rough
 * numbers); it shows which rules the prefilter fails to skip.
 *
 * <pre>
 * java -cp waf-benchmarks/target/benchmarks.jar dev.bulwark.waf.bench.RuleCostReport [paranoia] [top] [exchange]
 * </pre>
 */
public final class RuleCostReport {

    private RuleCostReport() {
    }

    public static void main(String[] args) {
        int paranoia = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Waf all = Waf.builder().bundledRules().serviceLoader(false).paranoiaLevel(paranoia).build();
        List<HttpFixtures.Exchange> exchanges = HttpFixtures.all().stream()
                .filter(e -> args.length < 3 || e.name().equals(args[2])).toList();
        Waf none = Waf.builder().serviceLoader(false).build();
        double base = timeAll(none, exchanges);
        List<double[]> costs = new ArrayList<>();
        for (Rule r : all.rules()) {
            if (r.isMarker() || r.paranoiaLevel() > paranoia) {
                continue;
            }
            Waf one = Waf.builder().bundledRules().serviceLoader(false).paranoiaLevel(paranoia).mode(Mode.DETECTION_ONLY)
                    .removeRuleById("1-" + (r.id() - 1)).removeRuleById((r.id() + 1) + "-999999999").build();
            costs.add(new double[] {r.id(), timeAll(one, exchanges) - base});
        }
        costs.sort(Comparator.comparingDouble((double[] c) -> -c[1]));
        double total = 0;
        for (double[] c : costs) {
            total += c[1];
        }
        System.out.printf("engine without rules: %.1f us for the %d exchanges; sum over rules: %.1f us%n",
                base, exchanges.size(), total);
        for (int i = 0; i < Math.min(top, costs.size()); i++) {
            long id = (long) costs.get(i)[0];
            Rule r = all.rules().stream().filter(x -> x.id() == id).findFirst().orElseThrow();
            String requirement = "";
            if ("rx".equalsIgnoreCase(r.operatorName())) {
                LiteralPrefilter.Builder b = LiteralPrefilter.builder().minAtomLength(Engine.PREFILTER_MIN_ATOM)
                        .ignoreCommonCharacters(true);
                int pid = b.add(r.operatorArgument());
                String d = b.build().describe(pid);
                requirement = d.length() > 110 ? d.substring(0, 110) + "..." : d;
            }
            System.out.printf("%8d %9.1f us  %s %s  %s%n", id, costs.get(i)[1], r.operatorName(),
                    String.join(",", r.transformations()), requirement);
        }
    }

    /** Microseconds for one pass over all exchanges, best of several rounds. */
    private static double timeAll(Waf waf, List<HttpFixtures.Exchange> exchanges) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            int n = 200;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                for (HttpFixtures.Exchange e : exchanges) {
                    TransactionBenchmark.run(waf, e);
                }
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1000.0 / n);
        }
        return best;
    }
}

package dev.bulwark.waf.differential;

import dev.bulwark.waf.differential.DifferentialCases.Case;
import dev.bulwark.waf.differential.DifferentialCases.Kind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Collects per-case results and writes a Markdown summary: counts per group, then every failure. */
final class DifferentialReport {

    private record Row(Case c, int status, boolean forwarded, String seen, boolean passed) { }

    /** {@code -Dbulwark.diff.report=all} lists passing cases too. */
    private static final boolean ALL = "all".equals(System.getProperty("bulwark.diff.report"));

    private final List<Row> rows = new ArrayList<>();
    private final Map<Case, List<String>> live = new java.util.IdentityHashMap<>();

    /** Which servers deliver the case's payload to the application when no WAF is in front. */
    synchronized void live(Case c, List<String> servers) {
        live.put(c, servers);
    }

    synchronized void record(Case c, ParserDifferentialTest.Outcome o, boolean passed) {
        StringBuilder seen = new StringBuilder();
        for (AppView v : o.views()) {
            if (seen.length() > 0) {
                seen.append("<br>");
            }
            seen.append(v.summary(c.probe()).replace("|", "\\|"));
        }
        rows.add(new Row(c, o.status(), o.forwarded() != null, seen.toString(), passed));
    }

    synchronized void write(Path file) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        Map<String, int[]> perGroup = new TreeMap<>();
        for (Row r : rows) {
            int[] n = perGroup.computeIfAbsent(r.c().group() + (r.c().kind() == Kind.BENIGN ? " (benign twins)" : ""),
                    g -> new int[2]);
            n[r.passed() ? 0 : 1]++;
        }
        StringBuilder sb = new StringBuilder("# Parser-differential suite\n\n| group | passed | failed |\n|---|---|---|\n");
        perGroup.forEach((g, n) -> sb.append("| ").append(g).append(" | ").append(n[0]).append(" | ").append(n[1]).append(" |\n"));
        sb.append(ALL ? "\n## All cases\n\n| case | payload | proxy | what the applications saw (forwarded bytes replayed) |\n|---|---|---|---|\n" : "\n## Failures\n\n| case | payload | proxy | what the applications saw (forwarded bytes replayed) |\n|---|---|---|---|\n");
        for (Row r : rows) {
            if (!r.passed() || ALL) {
                sb.append("| ").append(r.passed() ? "" : "FAIL ").append(r.c().group()).append(": ").append(r.c().name().replace("|", "\\|"))
                        .append(" | `").append(Probe.shorten(r.c().probe().label()).replace("|", "\\|")).append("` | ")
                        .append(r.status() < 0 ? "closed" : r.status()).append(r.forwarded() ? " fwd" : "")
                        .append(" | ").append(r.seen())
                        .append(live.containsKey(r.c()) ? "<br>without WAF: " + (live.get(r.c()).isEmpty() ? "inert" : live.get(r.c())) : "")
                        .append(" |\n");
            }
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }
}

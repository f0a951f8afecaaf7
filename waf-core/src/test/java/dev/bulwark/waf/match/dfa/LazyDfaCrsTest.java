package dev.bulwark.waf.match.dfa;

import dev.bulwark.waf.testing.CrsCorpus;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential test: every CRS v4 and bundled {@code @rx} pattern, DFA against RE2J, over CRS
 * regression payloads, benign prose and random mutations of payloads. The DFA must never say
 * "no" where RE2J matches; "maybe" where RE2J does not match is counted and printed.
 *
 * <p>Bounded to a sample of the inputs (a few seconds); {@code -Dbulwark.dfa.fullCorpus=true}
 * checks every payload.
 */
class LazyDfaCrsTest {

    private static final int FLAGS = Pattern.DOTALL | Pattern.MULTILINE;

    @Test
    void crsAndBundledPatternsNeverMissAMatch() throws Exception {
        Path crs = CrsCorpus.dir();
        Assumptions.assumeTrue(crs != null, "crs.dir not available");
        List<String> crsPatterns = CrsCorpus.rxPatterns(crs, false);
        List<String> bundled = RuleCorpus.bundledPatterns();
        assertTrue(crsPatterns.size() >= 300, "expected the CRS v4 @rx patterns, got " + crsPatterns.size());

        int crsCompiled = 0;
        List<String> crsUnsupported = new ArrayList<>();
        for (String p : crsPatterns) {
            if (LazyDfa.compile(p) != null) {
                crsCompiled++;
            } else {
                crsUnsupported.add(p);
            }
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>(crsPatterns);
        distinct.addAll(bundled);
        List<String> sources = new ArrayList<>();
        List<Pattern> re2j = new ArrayList<>();
        List<LazyDfa> dfas = new ArrayList<>();
        int unsupported = 0;
        for (String s : distinct) {
            Pattern p;
            try {
                p = Pattern.compile(s, FLAGS);
            } catch (PatternSyntaxException e) {
                continue; // the engine refuses it too
            }
            LazyDfa d = LazyDfa.compile(s);
            if (d == null) {
                unsupported++;
                continue;
            }
            sources.add(s);
            re2j.add(p);
            dfas.add(d);
        }

        List<String> inputs = inputs(crs);
        long t0 = System.nanoTime();
        long pairs = 0;
        long matches = 0;
        long falseMaybe = 0;
        long inexactStarts = 0;
        List<String> misses = new ArrayList<>();
        // RE2J dominates the cost; stop after a time budget (the full run has no budget).
        long deadline = t0 + (Boolean.getBoolean("bulwark.dfa.fullCorpus") ? Long.MAX_VALUE / 2 : 3_000_000_000L);
        int inputsChecked = 0;
        for (String in : inputs) {
            if (System.nanoTime() > deadline) {
                break;
            }
            inputsChecked++;
            for (int i = 0; i < dfas.size(); i++) {
                boolean may = dfas.get(i).mayMatch(in);
                com.google.re2j.Matcher matcher = re2j.get(i).matcher(in);
                boolean m = matcher.find();
                pairs++;
                if (m) {
                    matches++;
                    if (!may && misses.size() < 10) {
                        misses.add("/" + sources.get(i) + "/ on \"" + in + "\"");
                    }
                    // RxOperator lets RE2J start at matchStart: it must not be past the real start.
                    int start = dfas.get(i).matchStart(in);
                    if ((start > matcher.start() || start < 0) && misses.size() < 10) {
                        misses.add("/" + sources.get(i) + "/ starts at " + matcher.start() + ", DFA said " + start
                                + " on \"" + in + "\"");
                    } else if (start != matcher.start()) {
                        inexactStarts++;
                    }
                } else if (may) {
                    falseMaybe++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "LazyDfa CRS: %d/%d CRS @rx patterns compile to a DFA (%d distinct patterns"
                        + " incl. %d bundled checked, %d unsupported); %d inputs, %d pairs, %d matches, %d \"maybe\""
                        + " without a RE2J match, %d inexact match starts, %d ms%n",
                crsCompiled, crsPatterns.size(), dfas.size(), bundled.size(), unsupported, inputsChecked, pairs,
                matches, falseMaybe, inexactStarts, (System.nanoTime() - t0) / 1_000_000);
        assertEquals(List.of(), misses, "the DFA said no where RE2J matches");
        assertTrue(matches > 500, "too few matches to mean anything: " + matches);
        // Regression floors: today every CRS v4 pattern compiles and no answer is a give-up.
        assertTrue(crsCompiled >= 300, "CRS patterns compiled: " + crsCompiled + ", unsupported " + crsUnsupported);
        assertTrue(falseMaybe <= pairs / 1000, "too many false maybes: " + falseMaybe);
    }

    private static List<String> inputs(Path crs) throws Exception {
        List<String> payloads = CrsCorpus.payloads(crs, true, new int[1]);
        assertTrue(payloads.size() > 1000, "expected CRS payloads, got " + payloads.size());
        List<String> out = new ArrayList<>();
        Random r = new Random(42);
        List<String> benign = benign();
        boolean full = Boolean.getBoolean("bulwark.dfa.fullCorpus");
        int sample = full ? payloads.size() : 250;
        for (int i = 0; i < sample; i++) {
            out.add(payloads.get(full ? i : r.nextInt(payloads.size())));
        }
        // Mutations: characters that matter to the patterns, dropped into payloads.
        String noise = "'\"\\ \n\r\t;|&$`<>(){}[]/%=aZ_0-\u00e9\u212a\u017f\uD83D\uDE00";
        for (int i = 0; i < (full ? payloads.size() : 100); i++) {
            StringBuilder m = new StringBuilder(payloads.get(r.nextInt(payloads.size())));
            for (int j = 0, n = 1 + r.nextInt(4); j < n && m.length() > 0; j++) {
                int at = r.nextInt(m.length());
                char c = noise.charAt(r.nextInt(noise.length()));
                if (r.nextBoolean()) {
                    m.setCharAt(at, c);
                } else {
                    m.insert(at, c);
                }
            }
            out.add(m.toString());
        }
        // Benign strings first, then payloads and mutations interleaved, so that a time-boxed run
        // sees all kinds.
        java.util.Collections.shuffle(out, r);
        out.addAll(0, benign);
        return out;
    }

    private static List<String> benign() {
        List<String> out = new ArrayList<>();
        String prose = "Our team shipped a new version of the garden planner last week; it now supports "
                + "seasonal reminders (watering, compost) and shares beds with friends & family. Thanks to "
                + "everyone who sent feedback about layout, colours and small screens!\nPlease tell us: "
                + "what works well? Which parts feel slow -- or confusing? Next month: printing support.\r\n";
        out.add("");
        out.add(prose);
        out.add(prose.repeat(8));
        out.add(prose.toUpperCase(Locale.ROOT));
        out.add("GET /index.html?id=42&lang=en HTTP/1.1");
        out.add("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        out.add("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return out;
    }
}

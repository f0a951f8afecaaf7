package dev.bulwark.waf.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrsRegexesTest {

    @Test
    void readsOperatorAfterContinuationAndUnescapesOnlyTheQuote() {
        String conf = "# SecRule ARGS \"@rx commented\" \"id:1\"\n"
                + "SecRule ARGS|REQUEST_HEADERS:User-Agent \\\n"
                + "    \"@rx (?i)[\\\"'`]\\s*or\\b\" \\\n"
                + "    \"id:942100,\\\n"
                + "    phase:2,block\"\n"
                + "SecRule REQUEST_METHOD \"!@rx ^(?:GET|HEAD)$\" \"id:2,chain\"\n"
                + "    SecRule ARGS \"@pm select union\" \"t:none\"\n"
                + "SecRule ARGS \"^plain$\" \"id:3\"\n"
                + "SecAction \"id:4,pass,setvar:tx.x=1\"\n";
        List<CrsRegexes.Source> rx = CrsRegexes.extract("t.conf", conf);
        assertEquals(3, rx.size(), rx.toString());
        assertEquals("(?i)[\"'`]\\s*or\\b", rx.get(0).regex());
        assertEquals(2, rx.get(0).line());
        assertEquals("^(?:GET|HEAD)$", rx.get(1).regex());
        assertEquals(6, rx.get(1).line());
        assertEquals("^plain$", rx.get(2).regex());
    }

    @Test
    void toleratesTruncatedInput() {
        assertEquals(List.of(), CrsRegexes.extract("t.conf", "SecRule ARGS"));
        List<CrsRegexes.Source> rx = CrsRegexes.extract("t.conf", "SecRule ARGS \"@rx abc\\");
        assertEquals(1, rx.size());
        assertEquals("abc", rx.get(0).regex().strip());
        assertEquals(List.of(), CrsRegexes.extract("t.conf", ""));
    }

    @Test
    void loadsMostCrsRegexes() {
        String dir = System.getProperty("crs.dir");
        Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir, "rules")), "CRS corpus absent");
        CrsRegexes.Loaded loaded = CrsRegexes.load(Path.of(dir, "rules"));
        // CRS v4 has a few hundred @rx operators; RE2J rejects only a handful (lookarounds, backreferences).
        assertTrue(loaded.compiled().size() > 250, "compiled " + loaded.compiled().size());
        assertTrue(loaded.skipped().size() < 20, "skipped " + loaded.skipped());
    }
}

package dev.bulwark.waf.match;

import dev.bulwark.waf.spi.MatchContext;
import dev.bulwark.waf.spi.Operator;
import dev.bulwark.waf.spi.OperatorFactory;
import dev.bulwark.waf.spi.OperatorSupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhraseOperatorsTest {

    private static final Map<String, OperatorFactory> OPS = PhraseOperators.builtins();

    /** Records captures; capturing switched on. */
    private static final class Capturing implements MatchContext {
        final Map<Integer, String> tx = new HashMap<>();

        @Override public String expand(String text) { return text; }
        @Override public boolean captureEnabled() { return true; }
        @Override public void capture(int index, String value) { tx.put(index, value); }
    }

    private static final OperatorSupport FILES = name -> {
        switch (name) {
            case "a.data": return List.of("/etc/passwd", "Boot.INI");
            case "b.data": return List.of("web.config");
            case "empty.data": return List.of();
            default: throw new IOException("no such file: " + name);
        }
    };

    @Test
    void registersThreeNames() {
        assertEquals(List.of("pm", "pmFromFile", "pmf"), List.copyOf(OPS.keySet()));
    }

    @Test
    void pmMatchesAnyPhraseAnywhereIgnoringCase() {
        Operator pm = OPS.get("pm").create("gzip  compress\tdeflate br", OperatorSupport.none());
        assertTrue(pm.matches("x-GZIP", MatchContext.empty()));
        assertTrue(pm.matches("identity, Br", MatchContext.empty()));
        assertFalse(pm.matches("identity", MatchContext.empty()));
        assertFalse(pm.matches("", MatchContext.empty()));
    }

    @Test
    void pmCapturesTheMatchedTextAsTx0() {
        Operator pm = OPS.get("pm").create("document.cookie window.location", OperatorSupport.none());
        Capturing ctx = new Capturing();
        assertTrue(pm.matches("a=Window.Location;b=document.cookie", ctx));
        assertEquals(Map.of(0, "Window.Location"), ctx.tx);
        Capturing none = new Capturing();
        assertFalse(pm.matches("nothing", none));
        assertTrue(none.tx.isEmpty());
    }

    @Test
    void pmNeedsAPhrase() {
        assertThrows(IllegalArgumentException.class, () -> OPS.get("pm").create("   ", OperatorSupport.none()));
    }

    @Test
    void pmFromFileReadsSeveralFilesAndPmfIsAnAlias() {
        for (String name : List.of("pmFromFile", "pmf")) {
            Operator op = OPS.get(name).create("a.data b.data", FILES);
            assertTrue(op.matches("/ETC/passwd", MatchContext.empty()));
            assertTrue(op.matches("c:\\boot.ini", MatchContext.empty()));
            assertTrue(op.matches("/app/WEB.CONFIG", MatchContext.empty()));
            assertFalse(op.matches("/etc/shadow", MatchContext.empty()));
        }
    }

    @Test
    void pmFromFileWithoutPhrasesNeverMatches() {
        Operator op = OPS.get("pmFromFile").create("empty.data", FILES);
        assertFalse(op.matches("anything", MatchContext.empty()));
        assertFalse(op.matches("", MatchContext.empty()));
    }

    @Test
    void pmFromFileReportsMissingFilesAsInvalidArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OPS.get("pmFromFile").create("a.data nope.data", FILES));
        assertTrue(e.getMessage().contains("nope.data"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OPS.get("pmf").create("", FILES));
    }

    @Test
    void builtinsReturnsAFreshMap() {
        Map<String, OperatorFactory> mine = PhraseOperators.builtins();
        mine.clear();
        assertEquals(3, PhraseOperators.builtins().size());
    }
}

package dev.bulwark.waf.servlet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTextTest {

    @Test
    void plainTextIsKept() {
        String s = "/index.html?q=caf\u00e9 \u65e5\u672c";
        assertSame(s, LogText.escape(s));
    }

    @Test
    void lineBreaksAndTerminalEscapesBecomeVisible() {
        String forged = "/a\r\n2026-01-01 INFO admin logged in\u001b[31m\u0007\u0085\\";
        String e = LogText.escape(forged);
        assertEquals("/a\\r\\n2026-01-01 INFO admin logged in\\u001b[31m\\u0007\\u0085\\\\", e);
        for (char c : e.toCharArray()) {
            assertTrue(c >= 0x20 && c != 0x7f, "no control character left: " + (int) c);
        }
    }

    @Test
    void longValuesAreCut() {
        String e = LogText.escape("x".repeat(10_000));
        assertTrue(e.length() < LogText.MAX + 40, e.length() + "");
        assertTrue(e.endsWith("(10000 chars)"));
        assertFalse(LogText.escape(null).isEmpty());
    }
}

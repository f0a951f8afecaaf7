package dev.bulwark.waf.servlet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockPagesTest {

    @Test
    void pageShowsStatusAndIdOnly() {
        String html = BlockPages.html(403, "req-42");
        assertTrue(html.contains("403 Forbidden"));
        assertTrue(html.contains("req-42"));
        assertTrue(BlockPages.html(413, "x").contains("Payload Too Large"));
    }

    @Test
    void idIsEscaped() {
        String html = BlockPages.html(403, "<b>&");
        assertFalse(html.contains("<b>"));
        assertTrue(html.contains("&lt;b&gt;&amp;"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "abc-DEF_1.2", "0123456789012345678901234567890123456789012345678901234567890123"})
    void saneRequestIds(String id) {
        assertTrue(WafFilter.isSaneRequestId(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a/b", "<x>", "é", "a\r\nSet-Cookie: x",
            "01234567890123456789012345678901234567890123456789012345678901234"})
    void insaneRequestIds(String id) {
        assertFalse(WafFilter.isSaneRequestId(id));
    }
}

package dev.bulwark.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Engine-level: how the Cookie header becomes REQUEST_COOKIES (RFC 6265 quoted values). */
class CookieParsingTest {

    /** Reports the value of cookie q, or of cookie b, as the message of a deny. */
    static String valueOf(String cookieName, String cookieHeader) {
        String rules = "rules:\n  - {id: 1, phase: 1, targets: [\"REQUEST_COOKIES:" + cookieName
                + "\"], operator: \"@rx ^\", action: deny, status: 403, msg: \"v=[%{MATCHED_VAR}]\"}\n";
        Verdict v = run(rules, cookieHeader);
        return assertInstanceOf(Verdict.Deny.class, v, "no cookie " + cookieName).matches().get(0).message();
    }

    static Verdict run(String rules, String cookieHeader) {
        Waf waf = Waf.builder().serviceLoader(false).rules("t.yaml", rules).build();
        try (Transaction tx = waf.newTransaction()) {
            tx.connection("127.0.0.1", 5555, "127.0.0.1", 8080);
            tx.requestLine("GET", "/", "HTTP/1.1");
            tx.requestHeader("Host", "localhost");
            tx.requestHeader("Cookie", cookieHeader);
            return tx.processRequestHeaders();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // A ';' inside a quoted value does not end the cookie; the quotes are removed.
        "q|a=1; q=\";cat /etc/passwd\"|v=[;cat /etc/passwd]",
        "q|q=\";cat /etc/passwd\"; b=2|v=[;cat /etc/passwd]",
        "b|q=\";cat /etc/passwd\"; b=2|v=[2]",
        "q|q= \"x; y\" ;b=2|v=[x; y]",
        "q|q=\"\"|v=[]",
        // Text after the closing quote: not one quoted string, kept as written.
        "q|q=\"a;b\"c; b=2|v=[\"a;b\"c]",
        "b|q=\"a;b\"c; b=2|v=[2]",
        // An unclosed quote runs to the end: the text stays in a value, where rules look.
        "q|q=\"abc; b=2|v=[\"abc; b=2]",
        "q|a=1; q=\";cat /etc/passwd|v=[\";cat /etc/passwd]",
        // A backslash escapes the quote after it (RFC 2109, Python's SimpleCookie); kept as sent.
        "q|q=\"a\\\";cat /etc/passwd\"; b=2|v=[a\\\";cat /etc/passwd]",
        "b|q=\"a\\\";cat /etc/passwd\"; b=2|v=[2]",
        "q|q=\"a\\\\\"; b=2|v=[a\\\\]",
        "b|q=\"a\\\\\"; b=2|v=[2]",
        // A quote inside an unquoted value is plain text.
        "q|q=a\"b;c\"; b=2|v=[a\"b]",
        "b|a=1;;  b=2 ;|v=[2]",
    })
    void values(String name, String header, String expected) {
        assertEquals(expected, valueOf(name, header));
    }

    @Test
    void noCookieIsMadeOfTheQuotedTail() {
        // Before, 'cat /etc/passwd"' became a cookie name of its own and q held only '"'.
        String rules = """
                rules:
                  - {id: 1, phase: 1, targets: [REQUEST_COOKIES_NAMES], operator: "@contains passwd", action: deny, status: 403}
                """;
        assertFalse(run(rules, "a=1; q=\";cat /etc/passwd\"").interrupts());
        assertFalse(run(rules, "a=1; q=\"x\\\";cat /etc/passwd\"").interrupts());
        assertFalse(run(rules, "a=1; q=\";cat /etc/passwd").interrupts());
        assertEquals(403, assertInstanceOf(Verdict.Deny.class, run(rules, "a=1; passwd=1")).status());
    }
}

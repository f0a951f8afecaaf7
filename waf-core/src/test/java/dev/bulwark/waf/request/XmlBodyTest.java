package dev.bulwark.waf.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XmlBodyTest {

    private static final String SECRET = "BULWARK-SECRET-7f3a9";

    @TempDir
    Path tmp;

    private static ParsedBody parse(String xml) {
        return parse(xml.getBytes(StandardCharsets.UTF_8), BodyLimits.defaults());
    }

    private static ParsedBody parse(byte[] body, BodyLimits limits) {
        return BodyParser.parse(BodyProcessor.XML, "application/xml", body, 0, body.length, limits);
    }

    private static void assertNoSecret(ParsedBody p) {
        for (Arg a : p.xml()) {
            assertFalse(a.value().contains(SECRET) || a.name().contains(SECRET), "leaked: " + a);
        }
        assertTrue(p.args().isEmpty());
        if (p.error() != null) {
            assertFalse(p.error().contains(SECRET), p.error());
        }
    }

    private Path secretFile() throws IOException {
        Path f = tmp.resolve("secret.txt");
        Files.writeString(f, SECRET);
        return f;
    }

    @Test
    void textAndAttributes() {
        ParsedBody p = parse("<?xml version=\"1.0\"?><order id=\"42\"><item sku=\"a&amp;b\">"
                + "<name>Tea &lt;b&gt;</name><qty>2</qty></item><note><![CDATA[<script>]]> x</note></order>");
        assertNull(p.error());
        assertFalse(p.hasDoctype());
        assertEquals(List.of(
                new Arg("/order/@id", "42"),
                new Arg("/order/item/@sku", "a&b"),
                new Arg("/order/item/name", "Tea <b>"),
                new Arg("/order/item/qty", "2"),
                new Arg("/order/note", "<script> x")), p.xml());
        assertTrue(p.args().isEmpty());
    }

    @Test
    void mixedContentAndNamespaces() {
        ParsedBody p = parse("<s:Envelope xmlns:s=\"urn:x\" s:v=\"1\"><s:Body>a<b>c</b>d</s:Body></s:Envelope>");
        assertNull(p.error());
        assertEquals(List.of(
                new Arg("/s:Envelope/@s:v", "1"),
                new Arg("/s:Envelope/s:Body", "a"),
                new Arg("/s:Envelope/s:Body/b", "c"),
                new Arg("/s:Envelope/s:Body", "d")), p.xml());
    }

    @Test
    void externalEntityIsNotResolved() throws IOException {
        String uri = secretFile().toUri().toString();
        ParsedBody p = parse("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"" + uri + "\">]>"
                + "<r>&xxe;</r>");
        assertNoSecret(p);
        assertTrue(p.hasDoctype());
        Arg doctype = p.xml().get(0);
        assertEquals("!doctype", doctype.name());
        assertTrue(doctype.value().contains("SYSTEM") && doctype.value().contains(uri), doctype.value());
    }

    @Test
    void externalDtdAndParameterEntitiesAreNotLoaded() throws IOException {
        String uri = secretFile().toUri().toString();
        assertNoSecret(parse("<!DOCTYPE r SYSTEM \"" + uri + "\"><r>x</r>"));
        assertNoSecret(parse("<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + uri + "\"> %p;]><r>x</r>"));
        assertNoSecret(parse("<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"" + uri
                + "\" parse=\"text\"/></r>"));
    }

    @Test
    void noNetworkFetch() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.setSoTimeout(200);
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
                        connections.incrementAndGet();
                        o.write(("HTTP/1.0 200 OK\r\n\r\n" + SECRET).getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // timeout or closed: loop checks isClosed
                    }
                }
            });
            acceptor.start();
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/x.dtd";
            assertNoSecret(parse("<!DOCTYPE r SYSTEM \"" + url + "\"><r>x</r>"));
            assertNoSecret(parse("<!DOCTYPE r [<!ENTITY e SYSTEM \"" + url + "\">]><r>&e;</r>"));
            server.close();
            acceptor.join(2000);
        }
        assertEquals(0, connections.get());
    }

    @Test
    void billionLaughsDoesNotExpand() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            sb.append("<!ENTITY lol").append(i).append(" \"");
            for (int k = 0; k < 10; k++) {
                sb.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            sb.append("\">");
        }
        sb.append("]><lolz>&lol9;</lolz>");
        ParsedBody p = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> parse(sb.toString()));
        assertTrue(p.hasDoctype());
        // The whole declaration, internal subset included, is visible to rules.
        assertEquals("!doctype", p.xml().get(0).name());
        assertTrue(p.xml().get(0).value().startsWith("<!DOCTYPE lolz [<!ENTITY lol \"lol\">"));
        assertTrue(p.xml().get(0).value().endsWith("&lol8;\">]>"), p.xml().get(0).value());
        long total = p.xml().stream().mapToLong(a -> a.value().length()).sum();
        assertTrue(total < 10_000, "expanded to " + total + " chars");
    }

    @Test
    void depthLimit() {
        String deep = "<a>".repeat(10_000) + "x" + "</a>".repeat(10_000);
        ParsedBody p = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> parse(deep));
        assertTrue(p.limitExceeded());
        assertNotNull(p.error());
        ParsedBody ok = parse("<a><a><a>x</a></a></a>".getBytes(StandardCharsets.UTF_8), new BodyLimits(10, 3, 1, 100));
        assertNull(ok.error());
        assertEquals(new Arg("/a/a/a", "x"), ok.xml().get(0));
    }

    @Test
    void valueLimit() {
        String body = "<r>" + "<i>v</i>".repeat(100_000) + "</r>";
        ParsedBody p = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> parse(body));
        assertTrue(p.limitExceeded());
        assertEquals(1000, p.xml().size());
    }

    @Test
    void malformedKeepsWhatWasParsed() {
        ParsedBody p = parse("<r><a>1</a><b>2</c></r>");
        assertNotNull(p.error());
        assertEquals(new Arg("/r/a", "1"), p.xml().get(0));
        assertNotNull(parse("").error());
        assertNotNull(parse("not xml at all").error());
    }

    @Test
    void invalidUtf8IsAnErrorButStillInspected() {
        byte[] body = {'<', 'r', '>', (byte) 0xFF, (byte) 0xC0, '<', 'b', '>', 'x', '<', '/', 'b', '>', '<', '/', 'r', '>'};
        ParsedBody p = parse(body, BodyLimits.defaults());
        assertEquals("XML: invalid UTF-8", p.error());
        assertEquals(List.of(new Arg("/r", "\u00ff\u00c0"), new Arg("/r/b", "x")), p.xml());
    }

    @Test
    void utf16WithBom() {
        byte[] body = "\uFEFF<r a=\"\u00e9\">t</r>".getBytes(StandardCharsets.UTF_16BE);
        ParsedBody p = parse(body, BodyLimits.defaults());
        assertNull(p.error());
        assertEquals(List.of(new Arg("/r/@a", "\u00e9"), new Arg("/r", "t")), p.xml());
    }

    @Test
    void doctypeExtraction() {
        assertEquals("<!DOCTYPE a [<!ENTITY x \"]>\">]>", XmlBodyParser.doctype("<?xml?><!DOCTYPE a [<!ENTITY x \"]>\">]><a/>"));
        assertEquals("<!DOCTYPE a SYSTEM 'x>y'>", XmlBodyParser.doctype("<!DOCTYPE a SYSTEM 'x>y'><a/>"));
        assertEquals("<!DOCTYPE a [", XmlBodyParser.doctype("<!DOCTYPE a ["));
        assertNull(XmlBodyParser.doctype("<a/>"));
    }

    @Test
    void latin1DeclaredEncoding() {
        byte[] body = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>\u00e9</r>".getBytes(StandardCharsets.ISO_8859_1);
        ParsedBody p = parse(body, BodyLimits.defaults());
        assertNull(p.error());
        assertEquals(new Arg("/r", "\u00e9"), p.xml().get(0));
    }

    /** Found by XmlBodyFuzzTest: the JDK's parse messages quoted body text into the error. */
    @Test
    void errorMessagesDoNotEchoTheBody() {
        for (String body : new String[] {"<?xml version=\"9.SECRET\"?><a/>", "<SECRET></a>", "<a SECRET></a>",
                "<a>&SECRET;</a>"}) {
            ParsedBody p = parse(body);
            assertNotNull(p.error(), body);
            assertFalse(p.error().contains("SECRET"), p.error());
            assertTrue(p.error().startsWith("XML: malformed"), p.error());
        }
    }
}

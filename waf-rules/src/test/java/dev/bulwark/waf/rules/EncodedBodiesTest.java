package dev.bulwark.waf.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bulwark.waf.Mode;
import dev.bulwark.waf.Transaction;
import dev.bulwark.waf.Verdict;
import dev.bulwark.waf.Waf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The bundled rules at paranoia level 1 against bodies the engine used to leave to rules that
 * never read them: compressed, lenient JSON, and JSON or forms under a type that declares neither.
 */
class EncodedBodiesTest {

    private static final Waf WAF = Waf.builder().bundledRules().paranoiaLevel(1).mode(Mode.ON).build();

    private static Verdict post(byte[] body, String... headers) {
        try (Transaction tx = WAF.newTransaction()) {
            tx.connection("127.0.0.1", 40000, "127.0.0.1", 8080);
            tx.requestLine("POST", "/search", "HTTP/1.1");
            tx.requestHeader("Host", "app.example");
            tx.requestHeader("User-Agent", RequestSpec.BROWSER_UA);
            tx.requestHeader("Accept", "*/*");
            for (int i = 0; i < headers.length; i += 2) {
                tx.requestHeader(headers[i], headers[i + 1]);
            }
            Verdict v = tx.processRequestHeaders();
            if (v.interrupts()) {
                return v;
            }
            v = tx.requestBody(body, 0, body.length);
            return v.interrupts() ? v : tx.processRequestBody();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bos)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    private static byte[] rawDeflate(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try (DeflaterOutputStream out = new DeflaterOutputStream(bos, d)) {
            out.write(data);
        }
        d.end();
        return bos.toByteArray();
    }

    private static void assertBlocked(Verdict v) {
        assertTrue(v instanceof Verdict.Deny, () -> "should be blocked: " + v);
        assertEquals(403, ((Verdict.Deny) v).status(), v::toString);
    }

    @Test
    void sqliInAGzippedFormIsBlocked() throws IOException {
        byte[] body = gzip(utf8("q=%27+OR+1%3D1--"));
        assertBlocked(post(body, "Content-Type", "application/x-www-form-urlencoded", "Content-Encoding", "gzip"));
        assertBlocked(post(rawDeflate(utf8("q=%27+OR+1%3D1--")), "Content-Type", "application/x-www-form-urlencoded",
                "Content-Encoding", "deflate"));
    }

    @Test
    void sqliNextToNaNInJsonIsBlocked() {
        assertBlocked(post(utf8("{\"q\": NaN, \"a\": \"' OR 1=1--\"}"), "Content-Type", "application/json"));
        assertBlocked(post(utf8("{'a': '\\' OR 1=1--', /* c */ b: -Infinity}"), "Content-Type", "application/json"));
    }

    @Test
    void sqliInUndeclaredJsonAndFormsIsBlocked() {
        assertBlocked(post(utf8("{\"q\": \"' OR 1=1--\"}"), "Content-Type", "text/plain"));
        assertBlocked(post(utf8("q=%27+OR+1%3D1--")));
        assertBlocked(post(utf8("{\"q\": \"' OR 1=1--\"}"), "Content-Type", "application/x-json"));
        assertBlocked(post(utf8("{\"csp-report\": {\"document-uri\": \"' OR 1=1--\"}}"),
                "Content-Type", "application/csp-report"));
    }

    @Test
    void ordinaryEncodedAndUndeclaredBodiesPass() throws IOException {
        Verdict form = post(gzip(utf8("q=running+shoes&page=2")), "Content-Type", "application/x-www-form-urlencoded",
                "Content-Encoding", "gzip");
        assertFalse(form.interrupts(), form::toString);
        Verdict json = post(utf8("{\"score\": NaN, \"name\": \"O'Brien\"}"), "Content-Type", "application/json");
        assertFalse(json.interrupts(), json::toString);
        Verdict text = post(utf8("Hello, this is a plain note about shoes.\n"), "Content-Type", "text/plain");
        assertFalse(text.interrupts(), text::toString);
    }
}

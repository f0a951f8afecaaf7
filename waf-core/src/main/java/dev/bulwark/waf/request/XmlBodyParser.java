package dev.bulwark.waf.request;

import dev.bulwark.waf.transform.Utf8Lenient;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Extracts XML text and attribute values with the JDK's built-in StAX parser, configured so that
 * no DTD is processed and nothing is ever loaded from outside the body: DTD support and external
 * entities are off, entity references are reported instead of replaced, external DTD/schema
 * access is forbidden and the resolver refuses every request. A DOCTYPE is still reported
 * ({@link ParsedBody#hasDoctype()} and the {@code !doctype} value) so rules can flag XXE attempts.
 */
final class XmlBodyParser {

    private XmlBodyParser() {
    }

    /** A fresh factory per parse: StAX factories are not specified to be thread-safe. */
    static XMLInputFactory factory() {
        // newDefaultFactory: the JDK implementation, never whatever a service file on the
        // classpath names (whose hardening we have not checked).
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
        f.setProperty(XMLInputFactory.IS_VALIDATING, Boolean.FALSE);
        trySet(f, XMLConstants.ACCESS_EXTERNAL_DTD, "");
        trySet(f, XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resource refused");
        });
        return f;
    }

    private static void trySet(XMLInputFactory f, String name, Object value) {
        try {
            f.setProperty(name, value);
        } catch (IllegalArgumentException e) {
            // Not supported by this implementation: the other settings already forbid access.
        }
    }

    static void parse(byte[] b, int offset, int length, ParsedBody.Builder out) {
        int maxDepth = out.limits.maxDepth();
        int[] pathLen = new int[maxDepth + 1];
        StringBuilder path = new StringBuilder();
        StringBuilder text = new StringBuilder();
        int depth = 0;
        XMLStreamReader r = null;
        String decoded = null;
        if (isUtf8(b, offset, length)) {
            // Decode ourselves: invalid bytes become U+00XX (legal XML chars) so the rest of the
            // document is still inspected, and the JDK parser never reaches its encoding-error
            // path, which prints to stderr.
            decoded = Utf8Lenient.decode(b, offset, length);
            if (Utf8Lenient.firstInvalid(b, offset, length) >= 0) {
                out.error("XML: invalid UTF-8");
            }
        }
        try (InputStream in = new ByteArrayInputStream(b, offset, length)) {
            r = decoded != null ? factory().createXMLStreamReader(new StringReader(decoded))
                    : factory().createXMLStreamReader(in);
            while (r.hasNext()) {
                int ev = r.next();
                switch (ev) {
                    case XMLStreamConstants.START_ELEMENT:
                        if (!flush(path, text, out)) {
                            return;
                        }
                        if (depth >= maxDepth) {
                            out.limitExceeded = true;
                            out.error("XML: nesting deeper than " + maxDepth);
                            return;
                        }
                        pathLen[depth++] = path.length();
                        path.append('/').append(qname(r.getPrefix(), r.getLocalName()));
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            String name = out.cut(path) + "/@" + qname(r.getAttributePrefix(i), r.getAttributeLocalName(i));
                            if (!out.xml(name, r.getAttributeValue(i))) {
                                return;
                            }
                        }
                        break;
                    case XMLStreamConstants.END_ELEMENT:
                        if (!flush(path, text, out)) {
                            return;
                        }
                        path.setLength(pathLen[--depth]);
                        break;
                    case XMLStreamConstants.CHARACTERS:
                    case XMLStreamConstants.CDATA:
                    case XMLStreamConstants.SPACE:
                        if (depth > 0) {
                            text.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                        }
                        break;
                    case XMLStreamConstants.ENTITY_REFERENCE:
                        // Never expanded: keep the reference itself visible to rules.
                        if (depth > 0) {
                            text.append('&').append(r.getLocalName()).append(';');
                        }
                        break;
                    case XMLStreamConstants.DTD:
                        out.hasDoctype = true;
                        // The JDK's text for a DTD with an internal subset can come back garbled,
                        // so take the declaration from the source when we have it.
                        String dtd = decoded != null ? doctype(decoded) : null;
                        if (dtd == null) {
                            dtd = r.getText();
                        }
                        if (!out.xml("!doctype", dtd == null ? "" : dtd)) {
                            return;
                        }
                        break;
                    default:
                        break; // comments, processing instructions, document events
                }
            }
        } catch (XMLStreamException e) {
            flush(path, text, out);
            out.error("XML: " + shortMessage(e));
        } catch (Exception e) {
            // The JDK parser can surface malformed input as unchecked exceptions too.
            out.error("XML: unreadable body");
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException | RuntimeException ignored) {
                    // nothing left to release for an in-memory stream
                }
            }
        }
    }

    /**
     * Whether the body is to be read as UTF-8: no UTF-16/32 byte order mark or leading NUL
     * (those go to the JDK's own encoding detection) and no XML declaration naming another
     * encoding.
     */
    static boolean isUtf8(byte[] b, int offset, int length) {
        if (length >= 2) {
            int b0 = b[offset] & 0xFF;
            int b1 = b[offset + 1] & 0xFF;
            if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE) || b0 == 0 || b1 == 0) {
                return false;
            }
        }
        int p = offset;
        int end = offset + length;
        if (length >= 3 && (b[p] & 0xFF) == 0xEF && (b[p + 1] & 0xFF) == 0xBB && (b[p + 2] & 0xFF) == 0xBF) {
            p += 3;
        }
        if (end - p < 5 || b[p] != '<' || b[p + 1] != '?' || b[p + 2] != 'x' || b[p + 3] != 'm' || b[p + 4] != 'l') {
            return true;
        }
        // The declaration is short; only look at its first bytes.
        int declEnd = Math.min(end, p + 256);
        String decl = new String(b, p, declEnd - p, java.nio.charset.StandardCharsets.ISO_8859_1);
        int close = decl.indexOf("?>");
        if (close >= 0) {
            decl = decl.substring(0, close);
        }
        int enc = decl.indexOf("encoding");
        if (enc < 0) {
            return true;
        }
        int q = enc + 8;
        while (q < decl.length() && (decl.charAt(q) == ' ' || decl.charAt(q) == '=' || decl.charAt(q) == '\t'
                || decl.charAt(q) == '\r' || decl.charAt(q) == '\n')) {
            q++;
        }
        if (q >= decl.length() || (decl.charAt(q) != '"' && decl.charAt(q) != '\'')) {
            return true;
        }
        int qe = decl.indexOf(decl.charAt(q), q + 1);
        String name = qe < 0 ? decl.substring(q + 1) : decl.substring(q + 1, qe);
        return MultipartParser.asciiEqualsIgnoreCase(name, "UTF-8") || MultipartParser.asciiEqualsIgnoreCase(name, "UTF8");
    }

    /**
     * The first {@code <!DOCTYPE ...>} declaration in {@code doc}: up to the first {@code >}
     * outside quotes and outside the internal subset brackets (or to the end), null if none.
     */
    static String doctype(String doc) {
        int start = doc.indexOf("<!DOCTYPE");
        if (start < 0) {
            return null;
        }
        char quote = 0;
        int brackets = 0;
        for (int i = start + 9; i < doc.length(); i++) {
            char c = doc.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[') {
                brackets++;
            } else if (c == ']') {
                brackets = Math.max(0, brackets - 1);
            } else if (c == '>' && brackets == 0) {
                return doc.substring(start, i + 1);
            }
        }
        return doc.substring(start);
    }

    private static boolean flush(StringBuilder path, StringBuilder text, ParsedBody.Builder out) {
        if (text.length() == 0) {
            return true;
        }
        boolean blank = true;
        for (int i = 0; i < text.length() && blank; i++) {
            char c = text.charAt(i);
            blank = c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }
        boolean ok = blank || out.xml(out.cut(path), text.toString());
        text.setLength(0);
        return ok;
    }

    private static String qname(String prefix, String local) {
        return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
    }

    /**
     * Where the body stopped parsing, never the JDK's message: that quotes names, versions and
     * other text from the body, which would reach REQBODY_ERROR_MSG and the audit log.
     */
    private static String shortMessage(XMLStreamException e) {
        javax.xml.stream.Location at = e.getLocation();
        return at == null ? "malformed" : "malformed at line " + at.getLineNumber() + ", column " + at.getColumnNumber();
    }
}

package dev.bulwark.waf.differential;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** A multipart body written as given: any boundary, line end, part headers, preamble or epilogue. */
final class Multipart {

    static final String BOUNDARY = "ZzY98w";

    private String boundary = BOUNDARY;
    private String eol = "\r\n";
    private String headerEol;
    private byte[] preamble = new byte[0];
    private byte[] epilogue = new byte[0];
    private boolean close = true;
    private final List<byte[][]> parts = new ArrayList<>(); // {headers text, content}

    Multipart boundary(String b) {
        this.boundary = b;
        return this;
    }

    /** The line end used everywhere (CRLF by default). */
    Multipart eol(String e) {
        this.eol = e;
        return this;
    }

    /** A different line end inside part headers only. */
    Multipart headerEol(String e) {
        this.headerEol = e;
        return this;
    }

    Multipart preamble(String p) {
        this.preamble = Encode.utf8(p);
        return this;
    }

    Multipart epilogue(String e) {
        this.epilogue = Encode.utf8(e);
        return this;
    }

    /** Leaves out the close delimiter: the body ends inside the last part. */
    Multipart unterminated() {
        this.close = false;
        return this;
    }

    /** A part with the given header lines (joined with the header line end). */
    Multipart part(byte[] content, String... headers) {
        parts.add(new byte[][] {Encode.utf8(String.join("\u0000", headers)), content});
        return this;
    }

    Multipart part(String content, String... headers) {
        return part(Encode.utf8(content), headers);
    }

    Multipart field(String name, String value) {
        return part(value, "Content-Disposition: form-data; name=\"" + name + "\"");
    }

    byte[] build() {
        String he = headerEol == null ? eol : headerEol;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble);
        for (byte[][] p : parts) {
            out.writeBytes(Encode.utf8("--" + boundary + eol));
            String headers = new String(p[0], java.nio.charset.StandardCharsets.UTF_8);
            if (!headers.isEmpty()) {
                out.writeBytes(Encode.utf8(headers.replace("\u0000", he) + he));
            }
            out.writeBytes(Encode.utf8(he));
            out.writeBytes(p[1]);
            out.writeBytes(Encode.utf8(eol));
        }
        if (close) {
            out.writeBytes(Encode.utf8("--" + boundary + "--" + eol));
        }
        out.writeBytes(epilogue);
        return out.toByteArray();
    }
}

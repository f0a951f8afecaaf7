package dev.bulwark.waf.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds multipart/form-data bodies for the tests, CRLF line ends, one part at a time. */
final class MultipartFixture {

    static final String BOUNDARY = "----BulwarkTestBoundary7MA4YWxkTrZu0gW";
    static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    MultipartFixture field(String name, String value) {
        return part("Content-Disposition: form-data; name=\"" + name + "\"", value.getBytes(StandardCharsets.UTF_8));
    }

    MultipartFixture file(String name, String fileName, String contentType, byte[] content) {
        return part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: " + contentType, content);
    }

    /** A part with the given header block (lines separated by CRLF, no trailing CRLF). */
    MultipartFixture part(String headers, byte[] content) {
        ascii("--" + BOUNDARY + "\r\n" + headers + "\r\n\r\n");
        out.writeBytes(content);
        ascii("\r\n");
        return this;
    }

    byte[] build() {
        ascii("--" + BOUNDARY + "--\r\n");
        return out.toByteArray();
    }

    /** The bytes so far, without the final delimiter. */
    byte[] unterminated() {
        return out.toByteArray();
    }

    private void ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Every byte value several times, CRLFs, dashes and a near-miss of the delimiter. */
    static byte[] hostileBinary() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 256; i++) {
                b.write(i);
            }
            b.writeBytes("\r\n\r\n--\r\n--".getBytes(StandardCharsets.ISO_8859_1));
            b.writeBytes(("\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            b.writeBytes(("\r\n--" + BOUNDARY + "X\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        b.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1)); // ends in CRLF: must survive
        return b.toByteArray();
    }
}
